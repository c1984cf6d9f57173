"""Chained attention: QK^T with out_mode softmax, then P·V with the probabilities fed back as B."""

import pyuvm

from tb.top.base_test import TopBaseTest
from tb.top.seq_lib.attention_seq import TopAttentionSeq


@pyuvm.test()
class TopAttentionTest(TopBaseTest):
    seq_class = TopAttentionSeq

