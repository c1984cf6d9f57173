"""Softmax through the PPU: one block, the longest column, and lengths between."""

import pyuvm

from tb.ppu.base_test import PpuBaseTest
from tb.ppu.seq_lib.softmax_seq import PpuSoftmaxSeq


@pyuvm.test()
class PpuSoftmaxTest(PpuBaseTest):
    seq_class = PpuSoftmaxSeq
