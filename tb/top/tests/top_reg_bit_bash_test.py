"""The standard register sequence reg_bit_bash (tb/top/seq_lib/reg_bit_bash_seq.py) on the top."""

import pyuvm

from tb.top.base_test import TopBaseTest
from tb.top.seq_lib.reg_bit_bash_seq import TopRegBitBashSeq


@pyuvm.test()
class top_reg_bit_bash_test(TopBaseTest):
    seq_class = TopRegBitBashSeq
