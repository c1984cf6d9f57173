"""Every mode × out_mode (3 × 6), each one GEMM of a random legal shape, in
random order, with random back-pressure on the result stream."""

from models.numerics import MODES, OUT_MODES
from tb.top.seq_lib.base_seq import TopBaseSeq


class TopModesSeq(TopBaseSeq):
    async def body(self):
        combos = [(m, o) for m in MODES for o in OUT_MODES]
        order = self.rng.permutation(len(combos))
        for i in order:
            mode, out_mode = combos[int(i)]
            M, N, K = self.random_shape(mode, out_mode, max_steps=int(self.knobs.get("max_steps", 192)))
            case = self.make_case(M, N, K, mode, out_mode)
            await self.run(self.job_for(case, "modes"), bp=self.choice(("none", "random")))
