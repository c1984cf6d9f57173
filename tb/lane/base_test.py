"""Base of every lane test: the lane env and one sequence to run."""

from tb.common.base_test import VsqBaseTest
from tb.lane.env import LaneEnv


class LaneBaseTest(VsqBaseTest):
    env_class = LaneEnv
    seq_class = None  # set by each test
    knobs = {}

    async def run_body(self):
        seq = self.seq_class("seq", self.cfg.rng("stimulus"), self.cfg.params["VEC"], **self.knobs)
        await seq.start(self.env.agent.seqr)
