"""CTRL.SOFT_RESET while idle, loading, computing and draining; the design is
idle and clean afterwards and the next GEMM is bit-exact."""

import pyuvm

from tb.top.base_test import TopBaseTest
from tb.top.seq_lib.reset_seq import TopResetSeq


class TopSoftResetSeq(TopResetSeq):
    kind = "soft"


@pyuvm.test()
class TopSoftResetTest(TopBaseTest):
    seq_class = TopSoftResetSeq
