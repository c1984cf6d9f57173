"""Base of every PPU test: the PPU env and one sequence to run."""

from tb.common.base_test import VsqBaseTest
from tb.ppu.env import PpuEnv


class PpuBaseTest(VsqBaseTest):
    env_class = PpuEnv
    seq_class = None  # set by each test
    knobs = {}

    async def run_body(self):
        seq = self.seq_class("seq", self.cfg.rng("stimulus"), self.cfg.params, **self.knobs)
        await seq.start(self.env.in_agent.seqr)
