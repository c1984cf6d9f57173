"""Rail operands: every element at the most negative or most positive value,
scales at 0 and 255, in every mode and every combination of rails."""

import itertools

import numpy as np

from models.numerics import MODES, vec_len
from tb.lane.seq_item import element_range
from tb.lane.seq_lib.base_seq import LaneBaseSeq


class LaneRailsSeq(LaneBaseSeq):
    def accumulations(self):
        for mode in MODES:
            lo, hi = element_range(mode)
            v = vec_len(mode, self.vec)
            for ea, eb, sa, sb in itertools.product((lo, hi, 0), (lo, hi), (0, 1, 255), (0, 255)):
                n = int(self.rng.integers(1, 4))
                yield (mode, np.full((n, v), ea), np.full(n, sa), np.full((n, v), eb), np.full(n, sb))
