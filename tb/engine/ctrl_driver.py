"""Drives the start/status interface: one StartReq per start pulse (a
ClearReq is a lone clear pulse). Reads the
outcome (err / err_code / busy) in the next cycle; for an accepted GEMM
optionally pulses a second start while busy or `clear` to abort, then waits
for done and reads the counters into the item."""

from cocotb.triggers import ClockCycles, ReadOnly, RisingEdge, current_gpi_trigger, with_timeout
from pyuvm import ConfigDB, uvm_driver

from tb.common.clock_reset import CLOCK_PERIOD_NS
from tb.engine.seq_item import ClearReq


class CtrlDriver(uvm_driver):
    def start_of_simulation_phase(self):
        self.dut = ConfigDB().get(self, "", "dut")

    async def run_phase(self):
        dut = self.dut
        for sig in (dut.start, dut.clear, dut.cfg_m, dut.cfg_n, dut.cfg_k, dut.cfg_mode, dut.cfg_n_outer):
            sig.value = 0
        while True:
            item = await self.seq_item_port.get_next_item()
            await self.execute(item)
            self.seq_item_port.item_done()

    def drive_cfg(self, m, n, k, mode, n_outer):
        dut = self.dut
        dut.cfg_m.value = m
        dut.cfg_n.value = n
        dut.cfg_k.value = k
        dut.cfg_mode.value = mode
        dut.cfg_n_outer.value = n_outer

    @staticmethod
    async def readonly():
        """Move to the ReadOnly phase of the current time step (no-op if there)."""
        if not isinstance(current_gpi_trigger(), ReadOnly):
            await ReadOnly()

    async def pulse(self, sig):
        """From just after a rising edge: sig high for one cycle."""
        sig.value = 1
        await RisingEdge(self.dut.clk)
        sig.value = 0

    async def execute(self, item):
        dut = self.dut
        await RisingEdge(dut.clk)
        if isinstance(item, ClearReq):
            await self.pulse(dut.clear)
            return
        self.drive_cfg(*item.cfg())
        await self.pulse(dut.start)
        await ReadOnly()
        item.err, item.err_code = int(dut.err.value), int(dut.err_code.value)
        item.accepted = bool(dut.busy.value) and not item.err
        if not item.accepted:
            return
        if item.busy_start_after is not None:
            await ClockCycles(dut.clk, max(1, item.busy_start_after))
            await self.readonly()
            if dut.busy.value:
                await RisingEdge(dut.clk)
                self.drive_cfg(*item.busy_cfg)
                await self.pulse(dut.start)
        if item.clear_after is not None:
            await ClockCycles(dut.clk, max(1, item.clear_after))
            await self.readonly()
            if dut.busy.value:
                await RisingEdge(dut.clk)
                await self.pulse(dut.clear)
                item.aborted = True
                return
        await self.readonly()
        if dut.busy.value:  # else done has already pulsed; the counters hold
            await with_timeout(RisingEdge(dut.done), item.timeout_cycles * CLOCK_PERIOD_NS, "ns")
            await ReadOnly()
        item.cyc_total, item.cyc_mac = int(dut.cyc_total.value), int(dut.cyc_mac.value)
        item.sat_seen = int(dut.sat_seen.value)
