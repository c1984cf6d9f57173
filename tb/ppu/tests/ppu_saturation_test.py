"""y over the 18-bit rails both ways, per element, in every PPU out_mode."""

import pyuvm

from tb.ppu.base_test import PpuBaseTest
from tb.ppu.seq_lib.saturation_seq import PpuSaturationSeq


@pyuvm.test()
class PpuSaturationTest(PpuBaseTest):
    seq_class = PpuSaturationSeq
