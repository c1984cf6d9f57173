"""Register reset values (rdl/vsq_top.rdl) after aresetn, twice."""

import pyuvm

from tb.top.base_test import TopBaseTest
from tb.top.seq_lib.csr_reset_seq import TopCsrResetSeq


@pyuvm.test()
class TopCsrResetTest(TopBaseTest):
    seq_class = TopCsrResetSeq

