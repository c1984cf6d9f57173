"""Start while busy: ignored, counted (code 12), the running GEMM bit-exact."""

import pyuvm

from tb.top.base_test import TopBaseTest
from tb.top.seq_lib.busy_seq import TopBusySeq


@pyuvm.test()
class TopBusyStartTest(TopBaseTest):
    seq_class = TopBusySeq

