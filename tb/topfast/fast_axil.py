"""The AXI4-Lite agent of the fast path: tb/top/axil_agent's AxilAgent API
(`read(addr)` / `write(addr, value, strb)` return the data and the response
code; every access published on `ap` as a RegAccess), with the bus driven by
the model's master (hdl/fast_stream.cpp). Python queues the access and wakes
once, when the model's answered count passes it, instead of once per cycle
of each channel. Writes in order, reads in order, one of each on the bus at
a time (as cocotbext-axi's AxiLiteMaster)."""

from pyuvm import ConfigDB, uvm_analysis_port

from tb.top.axil_agent import AxilAgent
from tb.top.seq_item import RegAccess
from tb.topfast.fast_lib import FastStreamLib


class FastAxilAgent(AxilAgent):
    def build_phase(self):
        self.ap = uvm_analysis_port("ap", self)
        self.master = None

    def start_of_simulation_phase(self):
        self.dut = ConfigDB().get(self, "", "dut")
        self.lib = FastStreamLib.get().lib

    @staticmethod
    async def _answered(count, n):
        while int(count.value) <= n:
            await count.value_change

    async def read(self, addr, name=None):
        n = self.lib.vsq_fs_axil_read(addr)
        await self._answered(self.dut.fast_axil_rdone, n)
        data, resp = int(self.lib.vsq_fs_axil_rdata(n)), int(self.lib.vsq_fs_axil_rresp(n))
        self.ap.write(RegAccess("read", addr, data, resp, self._name(addr, name)))
        return data, resp

    async def write(self, addr, value, strb=0xF, name=None):
        """Write the bytes selected by `strb` (contiguous) of the 32-bit `value`."""
        lanes = [i for i in range(4) if strb >> i & 1]
        if not lanes or lanes != list(range(lanes[0], lanes[-1] + 1)):
            raise ValueError(f"strb 0x{strb:x} must select contiguous bytes")
        mask = int.from_bytes(bytes(0xFF if strb >> i & 1 else 0 for i in range(4)), "little")
        # As cocotbext-axi's master puts it: the address of the first byte, the bytes in their lanes.
        n = self.lib.vsq_fs_axil_write(addr + lanes[0], int(value) & mask, strb)
        await self._answered(self.dut.fast_axil_wdone, n)
        code = int(self.lib.vsq_fs_axil_wresp(n))
        self.ap.write(RegAccess("write", addr, int(value), code, self._name(addr, name), strb))
        return code
