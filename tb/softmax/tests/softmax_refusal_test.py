"""Every refusal code of the softmax unit, each followed by a legal job."""

import pyuvm

from tb.softmax.base_test import SoftmaxBaseTest
from tb.softmax.seq_lib.refusal_seq import SoftmaxRefusalSeq


@pyuvm.test()
class SoftmaxRefusalTest(SoftmaxBaseTest):
    seq_class = SoftmaxRefusalSeq
