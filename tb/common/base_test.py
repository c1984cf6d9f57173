"""Base test of every bench: puts the job's TbConfig in the ConfigDB, builds
the bench's env, starts the clock, resets, runs the test's stimulus
(`run_body`), lets the pipeline drain, and writes the functional coverage of
the job to `<out_dir>/coverage.yml` for the regression's merge.
"""

from cocotb.triggers import ClockCycles
from cocotb_coverage.coverage import coverage_db
from pyuvm import ConfigDB, uvm_test

from tb.common.clock_reset import reset, start_clock
from tb.common.config import TbConfig


class VsqBaseTest(uvm_test):
    env_class = None  # set by each bench's base test
    drain_cycles = 20  # cycles after the stimulus for results to come out

    def build_phase(self):
        self.cfg = TbConfig.from_env()
        ConfigDB().set(None, "*", "cfg", self.cfg)
        self.env = self.env_class("env", self)

    async def run_phase(self):
        self.raise_objection()
        self.dut = self.env.dut
        start_clock(self.dut.clk)
        await reset(self.dut.clk, self.dut.rst_n)
        await self.run_body()
        await ClockCycles(self.dut.clk, self.drain_cycles)
        self.drop_objection()

    async def run_body(self):
        raise NotImplementedError

    def final_phase(self):
        self.cfg.out_dir.mkdir(parents=True, exist_ok=True)
        coverage_db.export_to_yaml(str(self.cfg.out_dir / "coverage.yml"))


class UnitJobBaseTest(VsqBaseTest):
    """Base of a unit-job bench's tests (PPU, softmax): one sequence, built
    from the stimulus generator, the params and the test's knobs, run on the
    input agent's sequencer."""
    seq_class = None  # set by each test
    knobs = {}

    async def run_body(self):
        seq = self.seq_class("seq", self.cfg.rng("stimulus"), self.cfg.params, **self.knobs)
        await seq.start(self.env.in_agent.seqr)
