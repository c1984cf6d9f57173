"""Back-pressure storms on the tile stream: long runs of t_ready low between
short ready bursts, and dense random stalls, over GEMMs of every shape kind
(K/V = 1 makes the drain the bottleneck, so the engine itself must stall)."""

from models.numerics import MODES
from tb.engine.seq_lib.base_seq import SHAPE_KINDS, EngineBaseSeq


class EngineBackpressureSeq(EngineBaseSeq):
    async def body(self):
        count = self.knobs.get("count", 8)
        max_steps = self.max_steps // 2  # storms make every beat slow
        for i in range(count):
            mode = MODES[i % len(MODES)]
            kind = "kv1" if i % 2 == 0 else str(self.rng.choice(SHAPE_KINDS))
            M, N, K = self.shape(mode, kind, max_steps)
            if i % 3 == 2:
                self.set_backpressure("random", p_low=0.8)
            else:
                self.set_backpressure("storm", max_low=self.randint(8, 64), max_high=self.randint(1, 4))
            await self.run_case(self.make_case(M, N, K, mode), n_outer=self.randint(0, 1))
        self.set_backpressure("none")
