"""Base PPU sequence: sends the PpuJobs that the subclass's `jobs()` builds
from the job's numpy generator, and the stimulus helpers they share: legal
shapes, and accumulator tiles with g/bias/sh chosen so that y lands in the
range that exercises the out_mode (saturation only where a sequence asks).

Knobs: max_m (rows, default 64 fast / 256 paper), max_ntiles (default 2),
count (jobs, sequence-specific default)."""

import numpy as np

from models.contract import m_unit, ppu_rows
from models.numerics import OUT_MODES
from models.softmax import MAX_LEN
from tb.common.stream_layout import rows_per_word
from tb.common.unit_job_seq import UnitJobSeq
from tb.common.valid_ready import BP_KINDS
from tb.ppu.seq_item import PpuJob

ACC_MAX, ACC_MIN = (1 << 23) - 1, -(1 << 23)

# log2 of the |y| the out_mode wants to see, (lo, hi): int8 around its rails,
# int4 around its rails, VSQ over the whole scale range, softmax scores in Q5.2.
Y_BITS = {"int8": (5, 9), "int4": (2, 5), "int4_vsq": (1, 16), "int8_vsq": (4, 17),
          "softmax": (4, 8), "acc": (0, 17)}


class PpuBaseSeq(UnitJobSeq):
    def __init__(self, name, rng, params, **knobs):
        super().__init__(name, rng, params, **knobs)
        self.lanes, self.vec, self.ad = params["LANES"], params["VEC"], params["ACC_DEPTH"]
        self.rows = ppu_rows(params)
        self.max_m = min(self.rows, knobs.get("max_m", 256 if self.vec >= 64 else 64))
        self.max_ntiles = knobs.get("max_ntiles", 2)

    # ------------------------------------------------------------------ helpers
    def m_unit(self, out_mode):
        return m_unit(out_mode, self.params)

    def shape(self, out_mode, m=None, ntiles=None, pad=None):
        """(M, N) legal for the PPU. pad=True asks for an int8/int4 M that is
        not a multiple of the word's rows (last word padded)."""
        unit = self.m_unit(out_mode)
        limit = self.max_m if out_mode != "softmax" else min(self.max_m, MAX_LEN)
        if m is None:
            m = unit * int(self.rng.integers(1, max(1, limit // unit) + 1))
            rpw = rows_per_word(out_mode, self.params)
            if pad and out_mode in ("int8", "int4") and rpw > self.lanes:
                m = rpw * int(self.rng.integers(0, max(1, limit // rpw))) + \
                    self.lanes * int(self.rng.integers(1, rpw // self.lanes))
        if ntiles is None:
            ntiles = int(self.rng.integers(1, self.max_ntiles + 1))
        return m, self.ad * ntiles

    def tile(self, out_mode, M, N, y_bits=None, rails=0.05):
        """(acc, g, bias, sh): a random tile whose y is mostly around 2^y_bits."""
        rng = self.rng
        lo, hi = Y_BITS[out_mode] if y_bits is None else (y_bits, y_bits)
        target = int(rng.integers(lo, hi + 1))
        acc_bits = int(rng.integers(1, 25))
        g_bits = int(rng.integers(1, 17))
        acc = rng.integers(-(1 << (acc_bits - 1)), 1 << (acc_bits - 1), size=(M, N))
        if rails:
            hit = rng.random((M, N)) < rails
            acc[hit] = rng.choice([ACC_MIN, ACC_MAX], size=int(hit.sum()))
        g = rng.integers(1 << (g_bits - 1), 1 << g_bits, size=M)
        sh = int(np.clip(acc_bits + g_bits - 1 - target + rng.integers(-1, 2), 0, 31))
        bias_bits = int(rng.integers(0, min(target, 15) + 1))
        bias = rng.integers(-(1 << bias_bits), 1 << bias_bits, size=M) if bias_bits else np.zeros(M, np.int64)
        return acc, g, np.clip(bias, -(1 << 15), (1 << 15) - 1), sh

    def job(self, out_mode, M, N, acc, g, bias, sh, relu=None, valid_kind=None, ready_kind=None):
        return PpuJob(out_mode=out_mode, sh=sh, relu=bool(self.rng.integers(2)) if relu is None else relu,
                      m=M, n=N, acc=acc, g=g, bias=bias,
                      valid_kind=self.pick(BP_KINDS) if valid_kind is None else valid_kind,
                      ready_kind=self.pick(BP_KINDS) if ready_kind is None else ready_kind)

    def random_job(self, out_mode=None, **kw):
        out_mode = self.pick(OUT_MODES) if out_mode is None else out_mode
        M, N = self.shape(out_mode, pad=bool(self.rng.integers(2)))
        acc, g, bias, sh = self.tile(out_mode, M, N)
        return self.job(out_mode, M, N, acc, g, bias, sh, **kw)
