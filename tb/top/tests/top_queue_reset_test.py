"""Soft reset and aresetn with a GEMM running, one queued and a load stalled
on the bank in use: idle and clean, the next GEMMs bit-exact
(tb/top/seq_lib/queue_reset_seq.py)."""

import pyuvm

from tb.top.base_test import TopBaseTest
from tb.top.seq_lib.queue_reset_seq import TopQueueResetSeq


@pyuvm.test()
class TopQueueResetTest(TopBaseTest):
    seq_class = TopQueueResetSeq
