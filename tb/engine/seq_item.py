"""Engine transactions: what the sequences ask the drivers to do (BufferLoad,
StartReq) and what the monitors observe (BufWrite, CtrlEvent; the tile
stream's beats are tb.common.tile_stream.TileBeat)."""

from dataclasses import dataclass

from pyuvm import uvm_sequence_item

from models.contract import MODE_NAMES as MODE_NAME  # noqa: F401 - {code: mode name}
from models.contract import mode_code


class BufferLoad(uvm_sequence_item):
    """One load of the operand buffers: A writes (bank, addr, word) and B writes
    (addr, word); the driver writes both ports in parallel, one word per port
    per cycle."""

    def __init__(self, name="buffer_load", a_writes=(), b_writes=()):
        super().__init__(name)
        self.a_writes = list(a_writes)
        self.b_writes = list(b_writes)

    def __str__(self):
        return f"BufferLoad({len(self.a_writes)} A words, {len(self.b_writes)} B words)"


class StartReq(uvm_sequence_item):
    """One start pulse with its configuration, and what to do while it runs.

    clear_after: pulse `clear` that many cycles after the start (abort);
    busy_start_after / busy_cfg: pulse a second start (cfg tuple m, n, k, mode,
    n_outer) that many cycles after the start, while the GEMM is busy.
    Filled in by the driver: err, err_code, accepted, aborted, and after done
    cyc_total, cyc_mac, sat_seen.
    """

    def __init__(self, name="start_req", *, m, n, k, mode, n_outer=0, clear_after=None,
                 busy_start_after=None, busy_cfg=None, timeout_cycles=100_000):
        super().__init__(name)
        self.m, self.n, self.k = int(m), int(n), int(k)
        self.mode = mode_code(mode)
        self.n_outer = int(n_outer)
        self.clear_after = clear_after
        self.busy_start_after = busy_start_after
        self.busy_cfg = busy_cfg
        self.timeout_cycles = int(timeout_cycles)
        self.err = self.err_code = None
        self.accepted = self.aborted = False
        self.cyc_total = self.cyc_mac = self.sat_seen = None

    def cfg(self):
        return self.m, self.n, self.k, self.mode, self.n_outer

    def __str__(self):
        return (f"StartReq(M={self.m}, N={self.n}, K={self.k}, mode={self.mode}, n_outer={self.n_outer})")


class ClearReq(uvm_sequence_item):
    """A `clear` pulse on its own (e.g. while idle)."""

    def __init__(self, name="clear_req"):
        super().__init__(name)


@dataclass
class BufWrite:
    """One observed buffer write."""
    buf: str  # "a" or "b"
    bank: int  # A bank (0 for B)
    addr: int
    word: int


@dataclass
class CtrlEvent:
    """One observed event of the start/status interface.

    kind "start": the cfg at the start pulse, busy in that cycle, and err,
    err_code and busy in the next cycle. kind "done": the counters in the done
    cycle. kind "clear": busy in the clear cycle.
    """
    kind: str
    time: float
    m: int = 0
    n: int = 0
    k: int = 0
    mode: int = 0
    n_outer: int = 0
    busy_before: int = 0
    err: int = 0
    err_code: int = 0
    busy_after: int = 0
    cyc_total: int = 0
    cyc_mac: int = 0
    sat_seen: int = 0
