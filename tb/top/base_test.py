"""Base of every top test: the shared VsqBaseTest (config, env, coverage
export) on the top's pins (aclk, aresetn), and one virtual sequence to run on the env's virtual sequencer."""

from cocotb.triggers import ClockCycles

from tb.common.base_test import VsqBaseTest
from tb.common.clock_reset import reset, start_clock
from tb.top.env import TopEnv


class TopBaseTest(VsqBaseTest):
    env_class = TopEnv
    seq_class = None  # set by each test
    knobs = {}

    async def run_phase(self):
        # VsqBaseTest.run_phase on the top's clock and reset names.
        self.raise_objection()
        self.dut = self.env.dut
        start_clock(self.dut.aclk)
        await reset(self.dut.aclk, self.dut.aresetn)
        await self.run_body()
        await ClockCycles(self.dut.aclk, self.drain_cycles)
        self.drop_objection()

    async def run_body(self):
        seq = self.seq_class("seq", self.cfg.rng("stimulus"), self.cfg.params, **self.knobs)
        await seq.start(self.env.vseqr)
