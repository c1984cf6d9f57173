"""Random GEMMs through the whole top (the main random test: many seeds)."""

import pyuvm

from tb.top.base_test import TopBaseTest
from tb.top.seq_lib.random_seq import TopRandomSeq


@pyuvm.test()
class top_random_test(TopBaseTest):
    seq_class = TopRandomSeq
