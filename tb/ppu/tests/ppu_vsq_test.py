"""Per-vector quantization corners: zero groups (s = 1), tiny groups, s = 255, Qmax rails."""

import pyuvm

from tb.ppu.base_test import PpuBaseTest
from tb.ppu.seq_lib.vsq_seq import PpuVsqSeq


@pyuvm.test()
class PpuVsqTest(PpuBaseTest):
    seq_class = PpuVsqSeq
