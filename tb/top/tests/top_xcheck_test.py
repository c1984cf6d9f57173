"""No X or Z on any output port after reset (Icarus), through every out_mode, errors and resets."""

import pyuvm

from tb.top.base_test import TopBaseTest
from tb.top.seq_lib.xcheck_seq import TopXcheckSeq


@pyuvm.test()
class TopXcheckTest(TopBaseTest):
    seq_class = TopXcheckSeq

