"""Random GEMMs through the whole top (the main random test: many seeds)."""

import pyuvm

from tb.top.base_test import TopBaseTest
from tb.top.seq_lib.random_seq import TopRandomSeq


@pyuvm.test()
class TopRandomTest(TopBaseTest):
    seq_class = TopRandomSeq
