"""PPU transactions: one GEMM's worth of post-processing (PpuJob) that the
sequences hand to the driver, and what the monitors observe (TileBeat on the
input, OutWord on the output)."""

from dataclasses import dataclass, field

import numpy as np
from pyuvm import uvm_sequence_item

from tb.ppu.layout import OUT_MODE_CODE


class PpuJob(uvm_sequence_item):
    """One start of the PPU with its tables and, if accepted, its tile stream.

    out_mode: a name of models.numerics.OUT_MODES or a raw 3-bit code (6, 7
    are illegal). acc [M, N] int64 (None for a start that must be refused),
    g [M] uint16, bias [M] int16. valid_kind / ready_kind: BackPressure kinds
    for idle gaps on t_valid and back-pressure on o_ready. expect_code: the
    refusal code the start must get (0 = accepted).
    Filled in by the driver: err, err_code, accepted, ready_seen (t_ready
    seen high while a refused start was probed).
    """

    def __init__(self, name="ppu_job", *, out_mode, sh=0, relu=False, m, n=0, acc=None, g=None, bias=None,
                 valid_kind="none", ready_kind="none", expect_code=0, clear_after=None, timeout_cycles=200_000):
        super().__init__(name)
        self.out_mode = out_mode
        self.code = OUT_MODE_CODE[out_mode] if isinstance(out_mode, str) else int(out_mode)
        self.sh, self.relu = int(sh), bool(relu)
        self.m, self.n = int(m), int(n)
        self.acc = None if acc is None else np.asarray(acc, dtype=np.int64)
        self.g = np.zeros(0, np.int64) if g is None else np.asarray(g, dtype=np.int64)
        self.bias = np.zeros(0, np.int64) if bias is None else np.asarray(bias, dtype=np.int64)
        self.valid_kind, self.ready_kind = valid_kind, ready_kind
        self.expect_code = int(expect_code)
        self.clear_after = clear_after  # abort: pulse clear after this many beats (None: run to done)
        self.timeout_cycles = int(timeout_cycles)
        self.err = self.err_code = None
        self.accepted = False
        self.ready_seen = False
        self.aborted = False
        self.clear_time = None  # sim time (ns) of the clock edge that took clear
        self.idle_after_clear = None  # busy low and valid outputs low after the clear
        self.in_stalls = 0  # t_valid-and-not-t_ready cycles
        self.out_stalls = 0  # o_valid-and-not-o_ready cycles seen by the scoreboard

    def __str__(self):
        return (f"PpuJob({self.out_mode}, M={self.m}, N={self.n}, sh={self.sh}, relu={self.relu}, "
                f"valid={self.valid_kind}, ready={self.ready_kind}, expect_code={self.expect_code})")


@dataclass
class TileBeat:
    """One handshake of the tile stream into the PPU."""
    mt: int
    n: int
    last: bool
    acc: np.ndarray = field(repr=False)  # int64 [LANES]


@dataclass
class OutWord:
    """One handshake of the output word stream."""
    data: int
    n: int
    grp: int
    row: int
    last: bool
