"""One lane step: an A vector and a B vector with their scales, in one mode."""

import numpy as np
from pyuvm import uvm_sequence_item

from models.numerics import vec_len


class LaneStep(uvm_sequence_item):
    def __init__(self, name="lane_step", *, mode="int4", first=True, a=None, sa=0, b=None, sb=0, idle=0):
        super().__init__(name)
        self.mode = mode
        self.first = bool(first)  # starts a new accumulation (acc = 0 before it)
        self.a = np.asarray(a, dtype=np.int64)
        self.sa = int(sa)
        self.b = np.asarray(b, dtype=np.int64)
        self.sb = int(sb)
        self.idle = int(idle)  # idle cycles the driver inserts before the step

    def __str__(self):
        return (f"LaneStep({self.mode}, first={self.first}, sa={self.sa}, sb={self.sb}, "
                f"a={self.a.tolist()}, b={self.b.tolist()})")


def element_range(mode):
    """(lo, hi) of the elements the datapath accepts in `mode` (numerics.md §1)."""
    return (-128, 127) if mode == "int8" else (-8, 7)


def random_vectors(rng, mode, vec, n):
    """n random A and B vectors (full accepted range) and scales."""
    lo, hi = element_range(mode)
    v = vec_len(mode, vec)
    a = rng.integers(lo, hi + 1, size=(n, v))
    b = rng.integers(lo, hi + 1, size=(n, v))
    sa = rng.integers(0, 256, size=n)
    sb = rng.integers(0, 256, size=n)
    return a, sa, b, sb
