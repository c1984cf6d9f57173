"""Writes BufferLoads through the engine's buffer write ports: A and B words
in parallel, one word per port per cycle, write enables low otherwise."""

from cocotb.triggers import RisingEdge
from pyuvm import ConfigDB, uvm_driver


class BufferDriver(uvm_driver):
    def start_of_simulation_phase(self):
        self.dut = ConfigDB().get(self, "", "dut")

    def idle(self):
        dut = self.dut
        dut.a_we.value = 0
        dut.b_we.value = 0

    async def run_phase(self):
        dut = self.dut
        self.idle()
        for sig in (dut.a_bank, dut.a_addr, dut.a_wdata, dut.b_addr, dut.b_wdata):
            sig.value = 0
        while True:
            item = await self.seq_item_port.get_next_item()
            await self.load(item)
            self.seq_item_port.item_done()

    async def load(self, item):
        dut = self.dut
        a, b = item.a_writes, item.b_writes
        for i in range(max(len(a), len(b))):
            await RisingEdge(dut.clk)
            if i < len(a):
                bank, addr, word = a[i]
                dut.a_we.value = 1
                dut.a_bank.value = bank
                dut.a_addr.value = addr
                dut.a_wdata.value = word
            else:
                dut.a_we.value = 0
            if i < len(b):
                addr, word = b[i]
                dut.b_we.value = 1
                dut.b_addr.value = addr
                dut.b_wdata.value = word
            else:
                dut.b_we.value = 0
        await RisingEdge(dut.clk)
        self.idle()
