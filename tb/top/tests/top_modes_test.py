"""Every mode × out_mode through the whole top."""

import pyuvm

from tb.top.base_test import TopBaseTest
from tb.top.seq_lib.modes_seq import TopModesSeq


@pyuvm.test()
class TopModesTest(TopBaseTest):
    seq_class = TopModesSeq

