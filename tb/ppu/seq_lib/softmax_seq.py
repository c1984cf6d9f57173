"""Softmax through the PPU: columns of one block (M = LANES), of the longest
length the PPU takes (min(PPU rows, 1024)), and in between, with y scaled
around the Q5.2 score range (some clamped at +-127)."""

from models.softmax import MAX_LEN
from tb.ppu.seq_lib.base_seq import PpuBaseSeq


class PpuSoftmaxSeq(PpuBaseSeq):
    def jobs(self):
        longest = min(self.rows, MAX_LEN)
        lengths = [self.lanes, longest] + [None] * self.knobs.get("random", 3)
        for m in lengths:
            M, N = self.shape("softmax", m=m, ntiles=1 if m == longest else None)
            acc, g, bias, sh = self.tile("softmax", M, N)
            yield self.job("softmax", M, N, acc, g, bias, sh)
