"""Softmax-unit transactions: one start with its columns (SoftmaxJob) and the
observed input beats (XBeat); output words are tb.ppu.seq_item.OutWord."""

from dataclasses import dataclass, field

import numpy as np
from pyuvm import uvm_sequence_item


class SoftmaxJob(uvm_sequence_item):
    """One start of the softmax unit: L rows (cfg_len) and, if it must be
    accepted, the int8 scores x [L, N] (Q5.2) streamed in the n_outer = 1
    order. valid_kind / ready_kind: BackPressure kinds for idle gaps on
    s_valid and back-pressure on o_ready. expect_code: the refusal code the
    start must get (0 = accepted). Filled in by the driver: err, err_code,
    accepted, ready_seen."""

    def __init__(self, name="softmax_job", *, length, x=None, valid_kind="none", ready_kind="none",
                 expect_code=0, clear_after=None, tag="", timeout_cycles=200_000):
        super().__init__(name)
        self.length = int(length)
        self.x = None if x is None else np.asarray(x, dtype=np.int64)
        self.n = 0 if x is None else self.x.shape[1]
        self.valid_kind, self.ready_kind = valid_kind, ready_kind
        self.expect_code = int(expect_code)
        self.clear_after = clear_after  # abort: pulse clear after this many beats (None: run to done)
        self.tag = tag  # what the sequence meant to exercise, for the log
        self.timeout_cycles = int(timeout_cycles)
        self.err = self.err_code = None
        self.accepted = False
        self.ready_seen = False
        self.aborted = False
        self.clear_time = None  # sim time (ns) of the clock edge that took clear
        self.idle_after_clear = None  # busy low and valid outputs low after the clear
        self.in_stalls = 0  # t_valid-and-not-t_ready cycles
        self.out_stalls = 0

    def __str__(self):
        return (f"SoftmaxJob({self.tag or 'random'}, L={self.length}, N={self.n}, valid={self.valid_kind}, "
                f"ready={self.ready_kind}, expect_code={self.expect_code})")


@dataclass
class XBeat:
    """One handshake of the score stream into the softmax unit."""
    mt: int
    n: int
    last: bool
    x: np.ndarray = field(repr=False)  # int64 [LANES]
