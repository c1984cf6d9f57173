"""Every exponent e = 0..511 through vsq_sm_exp2: u = POW2[e & 3] >> (e >> 2)
against models.softmax.exp2_q15, so every POW2 entry is checked at every shift."""

import numpy as np
import pyuvm

from models.softmax import exp2_q15
from tb.common.table_sweep import TableSpec, TableSweepTest

E_BITS = 9  # the port's width (rtl/vsq_sm_exp2.v)


class Exp2Table(TableSpec):
    inp, outputs = "e", ("u",)

    def values(self, rng):
        return rng.permutation(1 << E_BITS)  # all of them, in a seeded order

    def model(self, values):
        return {"u": exp2_q15(values)}


@pyuvm.test()
class SmExp2SweepTest(TableSweepTest):
    spec_class = Exp2Table
