"""vsq_sm_recip against models.softmax.reciprocal for every normalization shift
z = 0..19 and every segment i = 0..7 of the normalized sum, at the segment's
edges (t = 0, 1, 2048, 4094, 4095) and at random t: a C0 entry off by one
shows at any t of its segment, a C1 entry at large t. Above z = 15 the bits
shifted out are random."""

import numpy as np
import pyuvm

from models.softmax import D_MAX, reciprocal
from tb.common.table_sweep import TableSpec, TableSweepTest

SEGMENTS, T_BITS, NORM = 8, 12, 15  # Dn in [2^15, 2^16): i = Dn[14:12], t = Dn[11:0]
EDGES = (0, 1, 2048, 4094, 4095)


class RecipTable(TableSpec):
    inp, outputs = "d", ("z", "r")

    def values(self, rng):
        out = []
        for z in range(D_MAX.bit_length()):
            for i in range(SEGMENTS):
                for t in EDGES + tuple(int(v) for v in rng.integers(0, 1 << T_BITS, size=4)):
                    dn = (1 << NORM) + (i << T_BITS) + t
                    d = dn >> (NORM - z) if z <= NORM else (dn << (z - NORM)) | int(rng.integers(0, 1 << (z - NORM)))
                    if 1 <= d <= D_MAX:
                        out.append(d)
        return rng.permutation(np.unique(out))

    def model(self, values):
        z, r = reciprocal(values)
        return {"z": z, "r": r}


@pyuvm.test()
class SmRecipSweepTest(TableSweepTest):
    spec_class = RecipTable
