"""PPU transactions: one GEMM's worth of post-processing (PpuJob) that the
sequences hand to the driver; the input beats are tb.common.tile_stream.TileBeat
and the output words tb.common.word_stream.OutWord."""

import numpy as np

from models.contract import out_mode_code
from tb.common.unit_job import UnitJob


class PpuJob(UnitJob):
    """One start of the PPU with its tables and, if accepted, its tile stream
    (t_*); the stream knobs and outcome fields are UnitJob's.

    out_mode: a name of models.numerics.OUT_MODES or a raw 3-bit code (6, 7
    are illegal). acc [M, N] int64 (None for a start that must be refused),
    g [M] uint16, bias [M] int16.
    """

    def __init__(self, name="ppu_job", *, out_mode, sh=0, relu=False, m, n=0, acc=None, g=None, bias=None,
                 valid_kind="none", ready_kind="none", expect_code=0, clear_after=None, timeout_cycles=200_000):
        super().__init__(name, valid_kind=valid_kind, ready_kind=ready_kind, expect_code=expect_code,
                         clear_after=clear_after, timeout_cycles=timeout_cycles)
        self.out_mode = out_mode
        self.code = out_mode_code(out_mode)
        self.sh, self.relu = int(sh), bool(relu)
        self.m, self.n = int(m), int(n)
        self.acc = None if acc is None else np.asarray(acc, dtype=np.int64)
        self.g = np.zeros(0, np.int64) if g is None else np.asarray(g, dtype=np.int64)
        self.bias = np.zeros(0, np.int64) if bias is None else np.asarray(bias, dtype=np.int64)

    def __str__(self):
        return (f"PpuJob({self.out_mode}, M={self.m}, N={self.n}, sh={self.sh}, relu={self.relu}, "
                f"valid={self.valid_kind}, ready={self.ready_kind}, expect_code={self.expect_code})")

