"""Random PPU jobs in every out_mode, with random idle gaps and back-pressure."""

import pyuvm

from tb.ppu.base_test import PpuBaseTest
from tb.ppu.seq_lib.random_seq import PpuRandomSeq


@pyuvm.test()
class PpuRandomTest(PpuBaseTest):
    seq_class = PpuRandomSeq
