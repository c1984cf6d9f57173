"""Directed columns: one block, D = 608, p = 127, constant columns, running-max staircases."""

import pyuvm

from tb.softmax.base_test import SoftmaxBaseTest
from tb.softmax.seq_lib.corners_seq import SoftmaxCornersSeq


@pyuvm.test()
class SoftmaxCornersTest(SoftmaxBaseTest):
    seq_class = SoftmaxCornersSeq
