"""The standard register sequence reg_hw_reset (tb/top/seq_lib/reg_hw_reset_seq.py) on the top."""

import pyuvm

from tb.top.base_test import TopBaseTest
from tb.top.seq_lib.reg_hw_reset_seq import TopRegHwResetSeq


@pyuvm.test()
class top_reg_hw_reset_test(TopBaseTest):
    seq_class = TopRegHwResetSeq
