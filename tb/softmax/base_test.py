"""Base of every softmax test: the softmax env and one sequence to run."""

from tb.common.base_test import VsqBaseTest
from tb.softmax.env import SoftmaxEnv


class SoftmaxBaseTest(VsqBaseTest):
    env_class = SoftmaxEnv
    seq_class = None  # set by each test
    knobs = {}

    async def run_body(self):
        seq = self.seq_class("seq", self.cfg.rng("stimulus"), self.cfg.params, **self.knobs)
        await seq.start(self.env.in_agent.seqr)
