"""Observes the buffer write ports: one BufWrite per written word on `ap`.
Sleeps on the write enables while both are low."""

from cocotb.triggers import First, ReadOnly, RisingEdge
from pyuvm import ConfigDB, uvm_analysis_port, uvm_component

from tb.engine.seq_item import BufWrite


class BufferMonitor(uvm_component):
    def build_phase(self):
        self.ap = uvm_analysis_port("ap", self)

    def start_of_simulation_phase(self):
        self.dut = ConfigDB().get(self, "", "dut")

    async def run_phase(self):
        dut = self.dut
        await RisingEdge(dut.clk)
        await ReadOnly()
        while True:
            a_we, b_we = dut.a_we.value, dut.b_we.value
            if not (a_we or b_we):
                await First(RisingEdge(dut.a_we), RisingEdge(dut.b_we))
                await ReadOnly()
                continue
            if dut.rst_n.value:
                if a_we:
                    self.ap.write(BufWrite("a", int(dut.a_bank.value), int(dut.a_addr.value),
                                           int(dut.a_wdata.value)))
                if b_we:
                    self.ap.write(BufWrite("b", 0, int(dut.b_addr.value), int(dut.b_wdata.value)))
            await RisingEdge(dut.clk)
            await ReadOnly()
