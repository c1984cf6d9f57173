"""Every out_mode with sh = 0, small and 31, ReLU off and on."""

import pyuvm

from tb.ppu.base_test import PpuBaseTest
from tb.ppu.seq_lib.modes_seq import PpuModesSeq


@pyuvm.test()
class PpuModesTest(PpuBaseTest):
    seq_class = PpuModesSeq
