"""Every VSQ scale s = 1..255 in int4_vsq and int8_vsq (each reciprocal table entry)."""

import pyuvm

from tb.ppu.base_test import PpuBaseTest
from tb.ppu.seq_lib.scale_sweep_seq import PpuScaleSweepSeq


@pyuvm.test()
class PpuScaleSweepTest(PpuBaseTest):
    seq_class = PpuScaleSweepSeq
