"""Every out_mode with sh at 0, at a small value and at 31, each with ReLU
off and on, on tiles with negative values; the tile's magnitudes follow sh so
that y stays in the out_mode's interesting range."""

import numpy as np

from models.numerics import OUT_MODES
from tb.ppu.seq_lib.base_seq import Y_BITS, PpuBaseSeq


class PpuModesSeq(PpuBaseSeq):
    def tile_for_sh(self, out_mode, M, N, sh):
        rng = self.rng
        lo, hi = Y_BITS[out_mode]
        total = sh + int(rng.integers(lo, hi + 1)) + 1  # log2 |acc * g|
        acc_bits = int(np.clip(total - int(rng.integers(1, 9)), 1, 24))
        g_bits = int(np.clip(total - acc_bits + 1, 1, 16))
        acc = rng.integers(-(1 << (acc_bits - 1)), 1 << (acc_bits - 1), size=(M, N))
        g = rng.integers(1 << (g_bits - 1), 1 << g_bits, size=M)
        bias = rng.integers(-8, 9, size=M)
        return acc, g, bias

    def jobs(self):
        for out_mode in OUT_MODES:
            for sh in (0, int(self.rng.integers(1, 9)), 31):
                for relu in (False, True):
                    M, N = self.shape(out_mode, m=self.m_unit(out_mode) * int(self.rng.integers(1, 3)), ntiles=1)
                    acc, g, bias = self.tile_for_sh(out_mode, M, N, sh)
                    yield self.job(out_mode, M, N, acc, g, bias, sh, relu=relu)
