"""Overlapped execution: loads into the free bank during compute, a load into
a bank in use stalls, the descriptor queue full and empty, a refused queued
descriptor, chained GEMMs back to back, bit-exact (tb/top/seq_lib/queue_seq.py)."""

import pyuvm

from tb.top.base_test import TopBaseTest
from tb.top.seq_lib.queue_seq import TopQueueSeq


@pyuvm.test()
class TopQueueTest(TopBaseTest):
    seq_class = TopQueueSeq
