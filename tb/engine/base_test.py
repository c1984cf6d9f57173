"""Base of every engine test: the engine env and one virtual sequence to run."""

from tb.common.base_test import VsqBaseTest
from tb.engine.env import EngineEnv


class EngineBaseTest(VsqBaseTest):
    env_class = EngineEnv
    seq_class = None  # set by each test
    knobs = {}

    async def run_body(self):
        seq = self.seq_class("seq", self.env, self.cfg.rng("stimulus"), self.cfg.params, **self.knobs)
        await seq.start()
