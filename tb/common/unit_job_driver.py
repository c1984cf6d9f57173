"""Driver of a unit with the start / err / err_code / busy / done protocol, an
input valid/ready beat stream and an output word stream (the PPU, the
softmax unit). Per `UnitJob`: the subclass's `configure(job)` sets the
configuration, then start is pulsed and the outcome (err, err_code, busy) is
read in the next cycle. A refused start is probed (the input valid held high
for PROBE_CYCLES: the input ready must stay low); an accepted one streams
the subclass's `beats(job)` with the job's idle gaps, sets the job's
back-pressure pattern on o_ready, and waits for done, or pulses clear after
`job.clear_after` beats (abort). Each executed job goes to `ap` with its
outcome.

Subclasses set `prefix` (of the input stream's pins: "t_", "s_") and
`idle_pins` (their configuration and payload pins, driven 0 before the first
job), and define `configure(job)` and `beats(job)` (dicts {pin: value})."""

from cocotb.triggers import ClockCycles, ReadOnly, RisingEdge, Timer, with_timeout
from cocotb.utils import get_sim_time
from pyuvm import ConfigDB, uvm_analysis_port, uvm_driver

from tb.common.clock_reset import CLOCK_PERIOD_NS
from tb.common.valid_ready import BackPressure
from tb.common.valid_ready_source import ValidReadySource

PROBE_CYCLES = 4


class UnitJobDriver(uvm_driver):
    prefix = None
    idle_pins = ()

    def build_phase(self):
        self.ap = uvm_analysis_port("ap", self)
        self.cfg = ConfigDB().get(self, "", "cfg")
        self.params = self.cfg.params
        self.rng = self.cfg.rng("handshake")
        self.ready_driver = None  # set by the env: the o_ready pattern player

    def start_of_simulation_phase(self):
        self.dut = ConfigDB().get(self, "", "dut")
        self.valid = getattr(self.dut, self.prefix + "valid")
        self.ready = getattr(self.dut, self.prefix + "ready")
        self.src = ValidReadySource(self.dut, valid=self.prefix + "valid", ready=self.prefix + "ready")

    async def run_phase(self):
        dut = self.dut
        for name in ("start", "clear", self.prefix + "valid", *self.idle_pins):
            getattr(dut, name).value = 0
        await RisingEdge(dut.clk)
        while True:
            job = await self.seq_item_port.get_next_item()
            await self.execute(job)
            self.ap.write(job)
            self.seq_item_port.item_done()

    async def configure(self, job):
        """Apply the job's configuration (may take cycles); start follows."""
        raise NotImplementedError

    def beats(self, job):
        """The job's input beats in stream order: dicts {pin name: value}."""
        raise NotImplementedError

    async def execute(self, job):
        dut = self.dut
        await self.configure(job)
        dut.start.value = 1
        await RisingEdge(dut.clk)
        dut.start.value = 0
        await ReadOnly()
        job.err, job.err_code = bool(dut.err.value), int(dut.err_code.value)
        job.accepted = bool(dut.busy.value)
        await RisingEdge(dut.clk)
        if not job.accepted:
            # Offer a beat: a refused unit must not take it.
            self.valid.value = 1
            for _ in range(PROBE_CYCLES):
                await ReadOnly()
                job.ready_seen |= bool(self.ready.value)
                await RisingEdge(dut.clk)
            self.valid.value = 0
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
        if job.clear_at_done:
            await ReadOnly()
            if dut.done.value:
                await Timer(1, "ns")  # out of the read-only phase, before the next edge
            else:
                await with_timeout(RisingEdge(dut.done), job.timeout_cycles * CLOCK_PERIOD_NS, "ns")
        else:
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
