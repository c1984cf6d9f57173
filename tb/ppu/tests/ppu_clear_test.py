"""Soft reset (clear) in the middle of a job in every out_mode; the next jobs are bit-exact."""

import pyuvm

from tb.ppu.base_test import PpuBaseTest
from tb.ppu.seq_lib.clear_seq import PpuClearSeq


@pyuvm.test()
class PpuClearTest(PpuBaseTest):
    seq_class = PpuClearSeq
