"""aresetn while idle, loading, computing and draining; every register is
back at its reset value and the next GEMM is bit-exact."""

import pyuvm

from tb.top.base_test import TopBaseTest
from tb.top.seq_lib.reset_seq import TopResetSeq


class TopHardResetSeq(TopResetSeq):
    kind = "hard"


@pyuvm.test()
class TopHardResetTest(TopBaseTest):
    seq_class = TopHardResetSeq
