"""Random legal GEMMs: every mode in turn, random shape kinds (single tile,
K/V = 1, K/V = max, random), random beat order and mild random back-pressure."""

from models.numerics import MODES
from tb.engine.seq_lib.base_seq import SHAPE_KINDS, EngineBaseSeq


class EngineRandomSeq(EngineBaseSeq):
    async def body(self):
        count = self.knobs.get("count", 12)
        max_steps = self.max_steps
        modes = list(self.rng.permutation(MODES))
        for i in range(count):
            mode = str(modes[i % len(modes)])
            kind = str(self.rng.choice(SHAPE_KINDS))
            M, N, K = self.shape(mode, kind, max_steps)
            self.set_backpressure(str(self.rng.choice(["none", "random"])))
            await self.run_case(self.make_case(M, N, K, mode), n_outer=self.randint(0, 1))
