"""Observes the start/status interface and publishes CtrlEvents on `ap`:
"start" (the cfg and busy at the pulse, err / err_code / busy one cycle
later), "done" (the counters in the done cycle) and "clear". Each watcher
sleeps on its pin's rising edge."""

import cocotb
from cocotb.triggers import ReadOnly, RisingEdge
from cocotb.utils import get_sim_time
from pyuvm import ConfigDB, uvm_analysis_port, uvm_component

from tb.engine.seq_item import CtrlEvent


class CtrlMonitor(uvm_component):
    def build_phase(self):
        self.ap = uvm_analysis_port("ap", self)

    def start_of_simulation_phase(self):
        self.dut = ConfigDB().get(self, "", "dut")

    async def run_phase(self):
        cocotb.start_soon(self.watch_done())
        cocotb.start_soon(self.watch_clear())
        await self.watch_start()

    async def watch_start(self):
        dut = self.dut
        while True:
            await RisingEdge(dut.start)
            await ReadOnly()
            if not dut.rst_n.value:
                continue
            ev = CtrlEvent("start", get_sim_time("ns"), m=int(dut.cfg_m.value), n=int(dut.cfg_n.value),
                           k=int(dut.cfg_k.value), mode=int(dut.cfg_mode.value),
                           n_outer=int(dut.cfg_n_outer.value), busy_before=int(dut.busy.value))
            await RisingEdge(dut.clk)
            await ReadOnly()
            ev.err, ev.err_code, ev.busy_after = int(dut.err.value), int(dut.err_code.value), int(dut.busy.value)
            self.ap.write(ev)

    async def watch_done(self):
        dut = self.dut
        while True:
            await RisingEdge(dut.done)
            await ReadOnly()
            self.ap.write(CtrlEvent("done", get_sim_time("ns"), cyc_total=int(dut.cyc_total.value),
                                    cyc_mac=int(dut.cyc_mac.value), sat_seen=int(dut.sat_seen.value)))

    async def watch_clear(self):
        dut = self.dut
        while True:
            await RisingEdge(dut.clear)
            await ReadOnly()
            self.ap.write(CtrlEvent("clear", get_sim_time("ns"), busy_before=int(dut.busy.value)))
