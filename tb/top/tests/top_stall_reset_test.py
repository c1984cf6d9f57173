"""CTRL.SOFT_RESET while a result word waits for TREADY: the word stays
offered and stable until taken (AXI4-Stream), then the design is idle and
the next GEMM bit-exact."""

import pyuvm

from tb.top.base_test import TopBaseTest
from tb.top.seq_lib.stall_reset_seq import TopStallResetSeq


@pyuvm.test()
class top_stall_reset_test(TopBaseTest):
    seq_class = TopStallResetSeq
