"""Drives PpuJobs: writes the job's g/bias rows into the tables, applies the
configuration and pulses start, reads the outcome (err, err_code, busy) in
the next cycle, then either probes a refused start (t_valid held high for a
few cycles: t_ready must stay low) or streams the tile in the n_outer = 1
beat order with the job's idle gaps, sets the job's back-pressure pattern on
o_ready, and waits for done. Each executed job goes to `ap` with its outcome."""

from cocotb.triggers import ClockCycles, ReadOnly, RisingEdge, with_timeout
from cocotb.utils import get_sim_time
from pyuvm import ConfigDB, uvm_analysis_port, uvm_driver

from tb.common.clock_reset import CLOCK_PERIOD_NS
from tb.common.valid_ready import BackPressure
from tb.common.valid_ready_source import ValidReadySource
from tb.ppu.layout import beat_order, pack_lanes, ppu_rows

PROBE_CYCLES = 4


class PpuDriver(uvm_driver):
    def build_phase(self):
        self.ap = uvm_analysis_port("ap", self)
        self.cfg = ConfigDB().get(self, "", "cfg")
        self.params = self.cfg.params
        self.rng = self.cfg.rng("handshake")
        self.ready_driver = None  # set by the env: the o_ready pattern player

    def start_of_simulation_phase(self):
        self.dut = ConfigDB().get(self, "", "dut")
        self.src = ValidReadySource(self.dut, valid="t_valid", ready="t_ready")

    async def run_phase(self):
        dut = self.dut
        for sig in (dut.start, dut.clear, dut.tbl_we, dut.tbl_row, dut.tbl_g, dut.tbl_bias, dut.t_valid,
                    dut.t_acc, dut.t_mt, dut.t_n, dut.t_last, dut.cfg_out_mode, dut.cfg_sh, dut.cfg_relu,
                    dut.cfg_m):
            sig.value = 0
        await RisingEdge(dut.clk)
        while True:
            job = await self.seq_item_port.get_next_item()
            await self.execute(job)
            self.ap.write(job)
            self.seq_item_port.item_done()

    async def write_tables(self, job):
        dut = self.dut
        rows = min(len(job.g), ppu_rows(self.params))
        for m in range(rows):
            dut.tbl_we.value = 1
            dut.tbl_row.value = m
            dut.tbl_g.value = int(job.g[m])
            dut.tbl_bias.value = int(job.bias[m]) & 0xFFFF
            await RisingEdge(dut.clk)
        dut.tbl_we.value = 0

    def beats(self, job):
        lanes = self.params["LANES"]
        order = beat_order(job.m, job.n, self.params)
        out = []
        for i, (mt, n) in enumerate(order):
            out.append({"t_acc": pack_lanes(job.acc[mt * lanes:(mt + 1) * lanes, n], 24),
                        "t_mt": mt, "t_n": n, "t_last": int(i == len(order) - 1)})
        return out

    async def execute(self, job):
        dut = self.dut
        await self.write_tables(job)
        dut.cfg_out_mode.value = job.code
        dut.cfg_sh.value = job.sh
        dut.cfg_relu.value = int(job.relu)
        dut.cfg_m.value = job.m
        dut.start.value = 1
        await RisingEdge(dut.clk)
        dut.start.value = 0
        await ReadOnly()
        job.err, job.err_code = bool(dut.err.value), int(dut.err_code.value)
        job.accepted = bool(dut.busy.value)
        await RisingEdge(dut.clk)
        if not job.accepted:
            # Offer a beat: a refused PPU must not take it.
            dut.t_valid.value = 1
            for _ in range(PROBE_CYCLES):
                await ReadOnly()
                job.ready_seen |= bool(dut.t_ready.value)
                await RisingEdge(dut.clk)
            dut.t_valid.value = 0
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
