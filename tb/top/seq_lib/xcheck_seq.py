"""A bit of everything for the X/Z check (tb.top.xcheck, Icarus): one GEMM
per out_mode, a refused start, a load overflow, a soft reset mid-GEMM and an
aresetn mid-GEMM, so that every output port moves through its states while
the check watches every value change."""

from models.numerics import MODES, OUT_MODES
from tb.top.seq_lib.base_seq import TopBaseSeq
from tb.top.seq_lib.reset_seq import TopResetSeq


class TopXcheckSeq(TopBaseSeq):
    async def body(self):
        for out_mode in OUT_MODES:
            mode = self.choice(list(MODES))
            M, N, K = self.random_shape(mode, out_mode, max_steps=96)
            await self.run(self.job_for(self.make_case(M, N, K, mode, out_mode), "xcheck"), bp="random")
        await self.run(self.illegal_job(self.lanes + 1, self.ad, self.vec, 1, 1))
        await self.loader.load([(3, [0, 1])])
        await self.ack_irq()
        for kind in ("soft", "hard"):
            seq = TopResetSeq(f"{kind}_reset", self.rng, self.params)
            seq.kind = kind
            seq.sequencer = self.sequencer  # one round of it, not its body
            await seq.round("computing")
