"""GEMMs that fill both buffers exactly: (M/LANES)·(K/V) = A_DEPTH and
N·(K/V) = B_DEPTH, for K/V = 1 (the most tiles), K/V = the largest that fits
(in every mode) and one in between."""

from models.numerics import MODES, vec_len
from tb.engine.seq_lib.base_seq import EngineBaseSeq


class EngineMaxFitSeq(EngineBaseSeq):
    def full_shape(self, mode, kv):
        return (self.lanes * (self.a_depth // kv),
                self.acc_depth * (self.b_depth // (kv * self.acc_depth)),
                kv * vec_len(mode, self.vec))

    async def body(self):
        kvm = self.kv_max()
        runs = [(str(self.rng.choice(MODES)), 1)]
        runs += [(mode, kvm) for mode in MODES]
        runs += [(str(self.rng.choice(MODES)), max(1, kvm // 4))]
        for mode, kv in runs:
            M, N, K = self.full_shape(mode, kv)
            # The K/V = 1 fill has one beat per step: no back-pressure keeps it quick.
            self.set_backpressure("none" if kv == 1 else str(self.rng.choice(["none", "random"])))
            self.logger.info(f"max fit {mode}: M={M} N={N} K={K}")
            await self.run_case(self.make_case(M, N, K, mode), n_outer=self.randint(0, 1))
