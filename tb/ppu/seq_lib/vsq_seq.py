"""Per-vector output quantization corners: per (group, column) the tile is
all zero (y = 0, so s = 1), tiny (max |y| <= Qmax, s = 1), ordinary, or huge
(max |y| > 255 * Qmax, s = 255), in both VSQ out_modes. With g = 2^k and
sh = k, y = acc + bias, so the group kinds survive the PPU exactly."""

import numpy as np

from models.numerics import out_group
from tb.ppu.seq_lib.base_seq import PpuBaseSeq

KINDS = ("zero", "tiny", "normal", "huge")


class PpuVsqSeq(PpuBaseSeq):
    def vsq_tile(self, out_mode, M, N):
        rng = self.rng
        vo, qmax = out_group(out_mode, self.vec)
        acc = np.zeros((M, N), dtype=np.int64)
        for gi in range(M // vo):
            for n in range(N):
                kind = KINDS[int(rng.integers(len(KINDS)))]
                rows = slice(gi * vo, (gi + 1) * vo)
                if kind == "tiny":
                    acc[rows, n] = rng.integers(-qmax, qmax + 1, size=vo)
                elif kind == "normal":
                    b = int(rng.integers(3, 15))
                    acc[rows, n] = rng.integers(-(1 << b), 1 << b, size=vo)
                elif kind == "huge":
                    acc[rows, n] = rng.integers(-(1 << 17), 1 << 17, size=vo)
                    acc[gi * vo + int(rng.integers(vo)), n] = int(rng.choice([-1, 1])) * 256 * qmax * 2
        k = int(rng.integers(0, 16))
        g = np.full(M, 1 << k)
        return acc, g, np.zeros(M, dtype=np.int64), k

    def jobs(self):
        for _ in range(self.knobs.get("rounds", 3)):
            for out_mode in ("int4_vsq", "int8_vsq"):
                M, N = self.shape(out_mode)
                acc, g, bias, sh = self.vsq_tile(out_mode, M, N)
                yield self.job(out_mode, M, N, acc, g, bias, sh, relu=bool(self.rng.integers(4) == 0))
