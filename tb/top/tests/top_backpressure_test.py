"""Random and storm back-pressure on the result stream, every out_mode."""

import pyuvm

from tb.top.base_test import TopBaseTest
from tb.top.seq_lib.backpressure_seq import TopBackpressureSeq


@pyuvm.test()
class TopBackpressureTest(TopBaseTest):
    seq_class = TopBackpressureSeq

