"""Softmax-unit transactions: one start with its columns (SoftmaxJob) and the
observed input beats (XBeat); output words are tb.common.word_stream.OutWord."""

from dataclasses import dataclass, field

import numpy as np

from tb.common.unit_job import UnitJob


class SoftmaxJob(UnitJob):
    """One start of the softmax unit: L rows (cfg_len) and, if it must be
    accepted, the int8 scores x [L, N] (Q5.2) streamed (s_*) in the
    n_outer = 1 order; the stream knobs and outcome fields are UnitJob's."""

    def __init__(self, name="softmax_job", *, length, x=None, valid_kind="none", ready_kind="none",
                 expect_code=0, clear_after=None, tag="", timeout_cycles=200_000):
        super().__init__(name, valid_kind=valid_kind, ready_kind=ready_kind, expect_code=expect_code,
                         clear_after=clear_after, timeout_cycles=timeout_cycles)
        self.length = int(length)
        self.x = None if x is None else np.asarray(x, dtype=np.int64)
        self.n = 0 if x is None else self.x.shape[1]
        self.tag = tag  # what the sequence meant to exercise, for the log

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
