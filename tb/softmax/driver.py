"""Drives SoftmaxJobs: applies cfg_len and pulses start, reads the outcome
(err, err_code, busy) in the next cycle, then either probes a refused start
(s_valid held high: s_ready must stay low) or streams the scores one block
per beat in the n_outer = 1 order with the job's idle gaps, sets the job's
back-pressure pattern on o_ready, and waits for done."""

from cocotb.triggers import ClockCycles, ReadOnly, RisingEdge, with_timeout
from cocotb.utils import get_sim_time
from pyuvm import ConfigDB, uvm_analysis_port, uvm_driver

from tb.common.clock_reset import CLOCK_PERIOD_NS
from tb.common.valid_ready import BackPressure
from tb.common.valid_ready_source import ValidReadySource
from tb.ppu.layout import beat_order, pack_lanes

PROBE_CYCLES = 4


class SoftmaxDriver(uvm_driver):
    def build_phase(self):
        self.ap = uvm_analysis_port("ap", self)
        self.cfg = ConfigDB().get(self, "", "cfg")
        self.params = self.cfg.params
        self.rng = self.cfg.rng("handshake")
        self.ready_driver = None  # set by the env

    def start_of_simulation_phase(self):
        self.dut = ConfigDB().get(self, "", "dut")
        self.src = ValidReadySource(self.dut, valid="s_valid", ready="s_ready")

    async def run_phase(self):
        dut = self.dut
        for sig in (dut.start, dut.clear, dut.cfg_len, dut.s_valid, dut.s_x, dut.s_mt, dut.s_n, dut.s_last):
            sig.value = 0
        await RisingEdge(dut.clk)
        while True:
            job = await self.seq_item_port.get_next_item()
            await self.execute(job)
            self.ap.write(job)
            self.seq_item_port.item_done()

    def beats(self, job):
        lanes = self.params["LANES"]
        order = beat_order(job.length, job.n, self.params)
        return [{"s_x": pack_lanes(job.x[mt * lanes:(mt + 1) * lanes, n], 8), "s_mt": mt, "s_n": n,
                 "s_last": int(i == len(order) - 1)} for i, (mt, n) in enumerate(order)]

    async def execute(self, job):
        dut = self.dut
        dut.cfg_len.value = job.length
        dut.start.value = 1
        await RisingEdge(dut.clk)
        dut.start.value = 0
        await ReadOnly()
        job.err, job.err_code = bool(dut.err.value), int(dut.err_code.value)
        job.accepted = bool(dut.busy.value)
        await RisingEdge(dut.clk)
        if not job.accepted:
            dut.s_valid.value = 1
            for _ in range(PROBE_CYCLES):
                await ReadOnly()
                job.ready_seen |= bool(dut.s_ready.value)
                await RisingEdge(dut.clk)
            dut.s_valid.value = 0
            return
        if self.ready_driver is not None:
            self.ready_driver.set_pattern(BackPressure(self.rng, job.ready_kind))
        gaps = BackPressure(self.rng, job.valid_kind, p_low=0.25, max_low=8)
        beats = self.beats(job)
        if job.clear_after is not None:
            await self.abort(job, beats[:job.clear_after], gaps)
            return
        stalls0, t0 = self.src.stalls, get_sim_time("ns")
        await self.src.send_all(beats, gaps)
        job.in_stalls = self.src.stalls - stalls0
        await ReadOnly()
        if dut.busy.value:
            await with_timeout(RisingEdge(dut.done), job.timeout_cycles * CLOCK_PERIOD_NS, "ns")
        cycles = round((get_sim_time("ns") - t0) / CLOCK_PERIOD_NS)
        self.logger.info(f"{job}: {len(beats)} beats, {job.in_stalls} input stall cycles, "
                         f"{cycles} cycles from the first beat to done")
        await RisingEdge(dut.clk)
        if self.ready_driver is not None:
            self.ready_driver.set_pattern(BackPressure(self.rng, "none"))
        await ClockCycles(dut.clk, 1)

    async def abort(self, job, beats, gaps):
        """Send some beats, let the pipeline run a few cycles, pulse clear."""
        dut = self.dut
        await self.src.send_all(beats, gaps)
        await ClockCycles(dut.clk, int(self.rng.integers(0, 12)))
        dut.clear.value = 1
        await RisingEdge(dut.clk)
        job.clear_time = get_sim_time("ns")
        dut.clear.value = 0
        job.aborted = True
        if self.ready_driver is not None:
            self.ready_driver.set_pattern(BackPressure(self.rng, "none"))
        await ReadOnly()
        job.idle_after_clear = not (dut.busy.value or dut.o_valid.value or dut.done.value)
        await RisingEdge(dut.clk)
