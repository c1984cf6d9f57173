"""Columns of the maximum length (1024 rows, the unit's whole storage), two
n-tiles so that pass 2 of the first overlaps pass 1 of the second: an
all-zero column (D saturates at 2^20 - 1), D = 608, a dominant element,
Gaussian columns of every sigma, a staircase."""

from models.softmax import MAX_LEN
from tb.softmax.seq_lib.base_seq import SIGMAS, SoftmaxBaseSeq


class SoftmaxMaxLenSeq(SoftmaxBaseSeq):
    def jobs(self):
        L = MAX_LEN
        cols = [self.constant(L, 0), self.d_min(L), self.dominant(L)] + [self.gauss(L, s) for s in SIGMAS]
        cols.append(self.staircase(L, [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2]))
        while len(cols) < self.ad * self.knobs.get("ntiles", 2):
            cols.append(self.random_column(L))
        yield self.job(cols[: max(self.ad, len(cols) - len(cols) % self.ad)], tag="max length")
