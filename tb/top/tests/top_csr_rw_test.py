"""Register access types (RW, RO, WO, W1C) and SLVERR on unmapped addresses."""

import pyuvm

from tb.top.base_test import TopBaseTest
from tb.top.seq_lib.csr_rw_seq import TopCsrRwSeq


@pyuvm.test()
class TopCsrRwTest(TopBaseTest):
    seq_class = TopCsrRwSeq

