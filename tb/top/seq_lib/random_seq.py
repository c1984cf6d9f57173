"""Random GEMMs: random mode and out_mode, shapes that fit the buffers,
random data kinds, random back-pressure on the result stream and idle gaps
on the load stream; now and then the next GEMM reuses the loaded A and B
with another out_mode (only the PPU table is reloaded)."""

from models.numerics import OUT_MODES
from tb.top.seq_lib.base_seq import TopBaseSeq

DATA_KINDS = ("random", "random", "random", "rails", "max", "min")
BP_KINDS = ("none", "random", "storm")


class TopRandomSeq(TopBaseSeq):
    async def body(self):
        count = int(self.knobs.get("count", 8))
        prev = None
        for i in range(count):
            self.load_idle(self.choice(("none", "none", "random")))
            bp = self.choice(BP_KINDS)
            if prev is not None and self.rng.random() < 0.2:
                case = self.reuse(prev)
                job = self.job_for(case, "reuse")
                await self.load(case, dests=(2,), check=job)
                await self.run(job, load=False, bp=bp)
            else:
                mode, out_mode = self.random_modes()
                M, N, K = self.random_shape(mode, out_mode)
                case = self.make_case(M, N, K, mode, out_mode, data=self.choice(DATA_KINDS))
                await self.run(self.job_for(case, "random"), bp=bp)
            prev = case
        self.load_idle("none")

    def reuse(self, case):
        """The same operands with another legal out_mode, g, bias, sh and relu."""
        M = case["a_q"].shape[0]
        modes = [o for o in OUT_MODES if M % self.m_unit(o) == 0 and (o != "softmax" or M <= 1024)]
        new = self.make_case(M, case["b_q"].shape[1], case["a_q"].shape[1], case["mode"], self.choice(modes))
        for key in ("a_q", "a_s", "b_q", "b_s"):
            new[key] = case[key]
        return new
