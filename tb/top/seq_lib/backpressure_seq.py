"""Back-pressure on the result stream (architecture.md: TREADY low in any
pattern stalls the design without losing or duplicating a word): GEMMs of
every out_mode under random and storm TREADY patterns, with idle gaps on the
load stream; bit-exact, every word once, in order (the scoreboard checks
the order and the count through TUSER)."""

from models.numerics import MODES, OUT_MODES
from tb.top.seq_lib.base_seq import TopBaseSeq


class TopBackpressureSeq(TopBaseSeq):
    async def body(self):
        for out_mode in [OUT_MODES[int(i)] for i in self.rng.permutation(len(OUT_MODES))]:
            mode = self.choice(list(MODES))
            M, N, K = self.random_shape(mode, out_mode, max_steps=int(self.knobs.get("max_steps", 256)))
            case = self.make_case(M, N, K, mode, out_mode)
            self.load_idle(self.choice(("random", "storm")))
            await self.run(self.job_for(case, "backpressure"), bp=self.choice(("random", "storm")))
        self.load_idle("none")
