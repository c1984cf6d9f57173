"""The maximum column length (1024), D saturation, two n-tiles overlapping."""

import pyuvm

from tb.softmax.base_test import SoftmaxBaseTest
from tb.softmax.seq_lib.max_len_seq import SoftmaxMaxLenSeq


@pyuvm.test()
class SoftmaxMaxLenTest(SoftmaxBaseTest):
    seq_class = SoftmaxMaxLenSeq
