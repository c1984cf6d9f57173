"""Start while busy: ignored, counted (code 12), the running GEMM bit-exact."""

import pyuvm

from tb.top.base_test import TopBaseTest
from tb.top.seq_lib.busy_seq import TopBusySeq


@pyuvm.test()
class top_busy_start_test(TopBaseTest):
    seq_class = TopBusySeq

