"""Every refusal code the PPU detects, each followed by a legal job."""

import pyuvm

from tb.ppu.base_test import PpuBaseTest
from tb.ppu.seq_lib.refusal_seq import PpuRefusalSeq


@pyuvm.test()
class PpuRefusalTest(PpuBaseTest):
    seq_class = PpuRefusalSeq
