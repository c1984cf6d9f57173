"""Every reachable start-refusal code, several rules at once, and the next legal GEMM bit-exact."""

import pyuvm

from tb.top.base_test import TopBaseTest
from tb.top.seq_lib.illegal_seq import TopIllegalSeq


@pyuvm.test()
class TopIllegalConfigTest(TopBaseTest):
    seq_class = TopIllegalSeq

