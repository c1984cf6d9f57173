"""Load overflow on every destination: code 13, excess dropped, nothing else touched."""

import pyuvm

from tb.top.base_test import TopBaseTest
from tb.top.seq_lib.overflow_seq import TopOverflowSeq


@pyuvm.test()
class TopLoadOverflowTest(TopBaseTest):
    seq_class = TopOverflowSeq

