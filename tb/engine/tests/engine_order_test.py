"""Both beat orders (n_outer = 0 and 1) on the same operands give the model's
accumulators, each in its documented order."""

import pyuvm

from tb.engine.base_test import EngineBaseTest
from tb.engine.seq_lib.order_seq import EngineOrderSeq


@pyuvm.test()
class EngineOrderTest(EngineBaseTest):
    seq_class = EngineOrderSeq
