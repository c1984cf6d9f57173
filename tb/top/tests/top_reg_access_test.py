"""The standard register sequence reg_access (tb/top/seq_lib/reg_access_seq.py) on the top."""

import pyuvm

from tb.top.base_test import TopBaseTest
from tb.top.seq_lib.reg_access_seq import TopRegAccessSeq


@pyuvm.test()
class top_reg_access_test(TopBaseTest):
    seq_class = TopRegAccessSeq
