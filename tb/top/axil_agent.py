"""AXI4-Lite master agent on cocotbext-axi's AxiLiteMaster: `read(addr)` /
`write(addr, value, strb)` return the data and the response code, and every
access is published on `ap` as a RegAccess (for the register coverage)."""

from cocotbext.axi import AxiLiteBus, AxiLiteMaster
from pyuvm import ConfigDB, uvm_analysis_port, uvm_component

from tb.top.regmodel import REGMAP
from tb.top.seq_item import RegAccess


class AxilAgent(uvm_component):
    prefix = "s_axil"

    def build_phase(self):
        self.ap = uvm_analysis_port("ap", self)
        self.master = None

    def start_of_simulation_phase(self):
        dut = ConfigDB().get(self, "", "dut")
        self.master = AxiLiteMaster(AxiLiteBus.from_prefix(dut, self.prefix), dut.aclk, dut.aresetn,
                                    reset_active_level=False)
        self.master.write_if.log.setLevel("WARNING")
        self.master.read_if.log.setLevel("WARNING")

    def _name(self, addr, name):
        if name is not None:
            return name
        reg = REGMAP.by_offset(addr & ~3)
        return reg.name if reg else None

    async def read(self, addr, name=None):
        data, code = await self._bus_read(addr)
        self.ap.write(RegAccess("read", addr, data, code, self._name(addr, name)))
        return data, code

    async def write(self, addr, value, strb=0xF, name=None):
        """Write the bytes selected by `strb` (contiguous) of the 32-bit `value`."""
        lanes = [i for i in range(4) if strb >> i & 1]
        if not lanes or lanes != list(range(lanes[0], lanes[-1] + 1)):
            raise ValueError(f"strb 0x{strb:x} must select contiguous bytes")
        code = await self._bus_write(addr, int(value), lanes[0], lanes[-1] + 1)
        self.ap.write(RegAccess("write", addr, int(value), code, self._name(addr, name), strb))
        return code

    # The bus itself (tb/topfast's agent drives it another way): one access,
    # its data and response code; a write of the bytes [first, end) of `value`.
    async def _bus_read(self, addr):
        resp = await self.master.read(addr, 4)
        return int.from_bytes(resp.data, "little"), int(resp.resp)

    async def _bus_write(self, addr, value, first, end):
        resp = await self.master.write(addr + first, (value & 0xFFFFFFFF).to_bytes(4, "little")[first:end])
        return int(resp.resp)
