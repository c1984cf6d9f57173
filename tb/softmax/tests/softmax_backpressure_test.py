"""Several n-tiles under o_ready storms and s_valid gaps."""

import pyuvm

from tb.softmax.base_test import SoftmaxBaseTest
from tb.softmax.seq_lib.backpressure_seq import SoftmaxBackpressureSeq


@pyuvm.test()
class SoftmaxBackpressureTest(SoftmaxBaseTest):
    seq_class = SoftmaxBackpressureSeq
