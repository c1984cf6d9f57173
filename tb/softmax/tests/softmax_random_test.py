"""Random softmax jobs: lengths, several n-tiles, score columns, idle gaps, back-pressure."""

import pyuvm

from tb.softmax.base_test import SoftmaxBaseTest
from tb.softmax.seq_lib.random_seq import SoftmaxRandomSeq


@pyuvm.test()
class SoftmaxRandomTest(SoftmaxBaseTest):
    seq_class = SoftmaxRandomSeq
