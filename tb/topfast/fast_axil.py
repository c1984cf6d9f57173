"""The AXI4-Lite agent of the fast path: tb/top/axil_agent's AxilAgent (its
`read` / `write`, strobe check and RegAccess on `ap`) with only the bus part
replaced: the model's master drives it (hdl/fast_stream.cpp). Python queues
the access and wakes once, when the model's answered count passes it,
instead of once per cycle of each channel. Writes in order, reads in order, one of each on the bus at
a time (as cocotbext-axi's AxiLiteMaster)."""

from pyuvm import ConfigDB

from tb.top.axil_agent import AxilAgent
from tb.topfast.fast_lib import FastStreamLib


class FastAxilAgent(AxilAgent):
    def start_of_simulation_phase(self):
        self.dut = ConfigDB().get(self, "", "dut")
        self.lib = FastStreamLib.get().lib

    @staticmethod
    async def _answered(count, n):
        while int(count.value) <= n:
            await count.value_change

    async def _bus_read(self, addr):
        n = self.lib.vsq_fs_axil_read(addr)
        await self._answered(self.dut.fast_axil_rdone, n)
        return int(self.lib.vsq_fs_axil_rdata(n)), int(self.lib.vsq_fs_axil_rresp(n))

    async def _bus_write(self, addr, value, first, end):
        # As cocotbext-axi's master puts it: the address of the first byte, the bytes in their lanes.
        strb, mask = ((1 << (end - first)) - 1) << first, ((1 << 8 * (end - first)) - 1) << 8 * first
        n = self.lib.vsq_fs_axil_write(addr + first, value & mask, strb)
        await self._answered(self.dut.fast_axil_wdone, n)
        return int(self.lib.vsq_fs_axil_wresp(n))
