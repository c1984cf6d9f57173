"""Every out_mode under o_ready storms and random t_valid gaps."""

import pyuvm

from tb.ppu.base_test import PpuBaseTest
from tb.ppu.seq_lib.backpressure_seq import PpuBackpressureSeq


@pyuvm.test()
class PpuBackpressureTest(PpuBaseTest):
    seq_class = PpuBackpressureSeq
