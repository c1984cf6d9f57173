"""Corner data in every mode, over the longest accumulation that fits (one
tile, K/V = max): all elements at -8 (or -128) / at 7 (127) on both sides,
the most negative product, scales all 0 and all 255, the rails mix of
models.casegen, and runs that push the accumulator towards one rail and then
back (saturation both ways where the configuration's K/V can reach the rail:
the paper configuration does; the fast one stops just short of 2^23)."""

import numpy as np

from models.gemm import lane_step
from models.numerics import ELEMENT_RANGE, MODES, vec_len
from tb.engine.seq_lib.base_seq import EngineBaseSeq

ACC_RAIL = 1 << 23


class EngineCornerSeq(EngineBaseSeq):
    def variants(self, mode):
        lo, hi = ELEMENT_RANGE[mode]
        yield "all lo x lo (largest positive)", dict(a=lo, b=lo, sa=255, sb=255)
        yield "all hi x hi", dict(a=hi, b=hi, sa=255, sb=255)
        yield "all lo x hi (most negative)", dict(a=lo, b=hi, sa=255, sb=255)
        yield "random, scales 0", dict(sa=0, sb=0)
        yield "random, scales 255", dict(sa=255, sb=255)
        yield "rails", dict(data="rails")
        yield "up to +rail then back", dict(ramp=+1)
        yield "down to -rail then back", dict(ramp=-1)

    def build(self, mode, M, N, K, v):
        case = self.make_case(M, N, K, mode, data=v.get("data", "random"))
        for key, arr in (("a", "a_q"), ("b", "b_q"), ("sa", "a_s"), ("sb", "b_s")):
            if key in v:
                case[arr][...] = v[key]
        if "ramp" in v:
            self.ramp(case, mode, v["ramp"])
        return case

    def ramp(self, case, mode, sign):
        """Steps of the largest |d| towards one rail, then steps of the other sign."""
        lo, hi = ELEMENT_RANGE[mode]
        V = vec_len(mode, self.vec)
        kv = case["a_q"].shape[1] // V
        toward, back = (lo, hi) if sign > 0 else (hi, lo)
        d = abs(int(lane_step(mode, np.full(V, lo), 255, np.full(V, toward), 255)))
        n_up = min(kv - 1, -(-ACC_RAIL // d) + 2)
        case["a_q"][...] = lo
        case["a_s"][...] = 255
        case["b_s"][...] = 255
        case["b_q"][: n_up * V] = toward
        case["b_q"][n_up * V:] = back

    async def body(self):
        self.set_backpressure("none")
        for mode in MODES:
            M, N, K = self.shape(mode, "kvmax", max_steps=self.kv_max() * self.acc_depth)
            for name, v in self.variants(mode):
                self.logger.info(f"corner {mode}: {name}")
                await self.run_case(self.build(mode, M, N, K, v), n_outer=self.randint(0, 1))
