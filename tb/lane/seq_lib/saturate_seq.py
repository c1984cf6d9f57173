"""Long accumulations that drive the 24-bit accumulator onto both rails and
then back off them (saturation is per step, not sticky). The number of steps
to the rail comes from the model's per-step contribution, so the sequence
saturates for any VEC and mode."""

import numpy as np

from models.gemm import lane_step
from models.numerics import MODES, vec_len
from tb.lane.seq_item import element_range
from tb.lane.seq_lib.base_seq import LaneBaseSeq

ACC_RAIL = 1 << 23


class LaneSaturateSeq(LaneBaseSeq):
    def accumulations(self):
        for mode in MODES:
            lo, hi = element_range(mode)
            v = vec_len(mode, self.vec)
            for sign in (+1, -1):
                # lo*lo is the largest positive product, lo*hi the largest negative.
                b_up, b_back = (lo, hi) if sign > 0 else (hi, lo)
                d = abs(int(lane_step(mode, np.full(v, lo), 255, np.full(v, b_up), 255)))
                n_up = -(-ACC_RAIL // d) + int(self.rng.integers(1, 4))
                n_back = int(self.rng.integers(1, 4))
                a = np.full((n_up + n_back, v), lo)
                b = np.vstack([np.full((n_up, v), b_up), np.full((n_back, v), b_back)])
                n = n_up + n_back
                yield (mode, a, np.full(n, 255), b, np.full(n, 255))
