"""Soft reset: GEMMs aborted by `clear` at a random point (while issuing,
while draining, under back-pressure), a clear while idle, and after each
abort a GEMM that must be bit-exact. The scoreboard checks that no beat
appears after a clear and that the beats before it were right."""

from models.numerics import MODES
from tb.engine.seq_lib.base_seq import EngineBaseSeq


class EngineClearSeq(EngineBaseSeq):
    async def body(self):
        max_steps = self.max_steps
        await self.clear()  # while idle
        for i in range(self.knobs.get("count", 6)):
            mode = MODES[i % len(MODES)]
            M, N, K = self.shape(mode, str(self.rng.choice(["kv1", "random"])), max_steps)
            self.set_backpressure(str(self.rng.choice(["none", "random", "storm"])))
            span = self.steps(M, N, K, mode) + M * N // self.lanes
            await self.run_case(self.make_case(M, N, K, mode), clear_after=self.randint(1, span))
            mode = str(self.rng.choice(MODES))
            M, N, K = self.shape(mode, "random", max_steps)
            await self.run_case(self.make_case(M, N, K, mode), n_outer=self.randint(0, 1))
