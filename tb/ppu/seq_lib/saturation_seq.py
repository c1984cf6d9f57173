"""Tiles whose y crosses the 18-bit rails both ways (and, with ReLU, only
the positive one), in every out_mode that goes through the PPU datapath,
mixed with in-range values so that saturation is per element."""

from models.numerics import OUT_MODES
from tb.ppu.seq_lib.base_seq import PpuBaseSeq


class PpuSaturationSeq(PpuBaseSeq):
    def jobs(self):
        for _ in range(self.knobs.get("rounds", 2)):
            for out_mode in OUT_MODES[1:]:
                M, N = self.shape(out_mode, ntiles=1)
                acc, g, bias, sh = self.tile(out_mode, M, N, y_bits=int(self.rng.integers(17, 21)), rails=0.15)
                bias = self.rng.integers(-(1 << 15), 1 << 15, size=M)
                yield self.job(out_mode, M, N, acc, g, bias, sh, relu=bool(self.rng.integers(4) == 0))
