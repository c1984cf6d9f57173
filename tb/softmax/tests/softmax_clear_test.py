"""Soft reset (clear) during pass 1 and during pass 2; the next jobs are bit-exact."""

import pyuvm

from tb.softmax.base_test import SoftmaxBaseTest
from tb.softmax.seq_lib.clear_seq import SoftmaxClearSeq


@pyuvm.test()
class SoftmaxClearTest(SoftmaxBaseTest):
    seq_class = SoftmaxClearSeq
