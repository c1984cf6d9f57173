"""Base softmax sequence: sends the SoftmaxJobs that the subclass's `jobs()`
builds, and the score generators they share (numpy, from the job's
generator): Gaussian score columns in natural-log units folded into Q5.2
base-2 exponents (x = rint(4 * log2(e) * score)), full-range uniform int8,
one dominant element, constant columns, and staircases whose block maxima
rise by chosen steps (running-max increases).

Knobs: max_l (default 128 fast / 256 paper), max_ntiles (default 3), count."""

import numpy as np

from tb.common.unit_job_seq import UnitJobSeq
from tb.common.valid_ready import BP_KINDS
from tb.softmax.seq_item import SoftmaxJob

LOG2E = 1.4426950408889634
SIGMAS = (0.5, 1.0, 2.0, 4.0)
X_MIN, X_MAX = -128, 127


class SoftmaxBaseSeq(UnitJobSeq):
    def __init__(self, name, rng, params, **knobs):
        super().__init__(name, rng, params, **knobs)
        self.lanes, self.ad = params["LANES"], params["ACC_DEPTH"]
        self.max_l = knobs.get("max_l", 256 if params["VEC"] >= 64 else 128)
        self.max_ntiles = knobs.get("max_ntiles", 3)

    # ------------------------------------------------------------------ helpers
    def length(self):
        return self.lanes * int(self.rng.integers(1, self.max_l // self.lanes + 1))

    def n_cols(self, ntiles=None):
        return self.ad * (int(self.rng.integers(1, self.max_ntiles + 1)) if ntiles is None else ntiles)

    def gauss(self, L, sigma=None):
        sigma = self.pick(SIGMAS) if sigma is None else sigma
        mean = self.rng.uniform(-60, 60)
        return np.clip(np.rint(4 * LOG2E * sigma * self.rng.standard_normal(L) + mean), X_MIN, X_MAX)

    def uniform(self, L):
        return self.rng.integers(X_MIN, X_MAX + 1, size=L)

    def dominant(self, L):
        """One element far above the rest: p = 127 there, 0 elsewhere."""
        x = np.full(L, X_MIN)
        x[int(self.rng.integers(L))] = X_MAX
        return x

    def d_min(self, L):
        """D = 608: the maximum x = 1 (c = 1, e = 3, u >> 5 = 608), the rest vanish."""
        x = np.full(L, X_MIN)
        x[int(self.rng.integers(L))] = 1
        return x

    def constant(self, L, value=0):
        return np.full(L, value)

    def staircase(self, L, steps):
        """Block maxima c_b (= ceil(x/4)) rising by `steps` (cycled); the rest of each block below its max."""
        nb = L // self.lanes
        c = [-32]
        for b in range(1, nb):
            c.append(min(32, c[-1] + steps[(b - 1) % len(steps)]))
        x = np.empty(L, dtype=np.int64)
        for b in range(nb):
            top = min(X_MAX, 4 * c[b])
            blk = self.rng.integers(X_MIN, top + 1, size=self.lanes)
            blk[int(self.rng.integers(self.lanes))] = top
            x[b * self.lanes:(b + 1) * self.lanes] = blk
        return x

    def random_column(self, L):
        kind = self.pick(("gauss", "gauss", "gauss", "uniform", "dominant", "stairs"))
        if kind == "gauss":
            return self.gauss(L)
        if kind == "uniform":
            return self.uniform(L)
        if kind == "dominant":
            return self.dominant(L)
        return self.staircase(L, [int(self.rng.integers(0, 25))])

    def job(self, cols, valid_kind=None, ready_kind=None, tag=""):
        x = np.stack([np.asarray(c, dtype=np.int64) for c in cols], axis=1)
        return SoftmaxJob(length=x.shape[0], x=x, tag=tag,
                          valid_kind=self.pick(BP_KINDS) if valid_kind is None else valid_kind,
                          ready_kind=self.pick(BP_KINDS) if ready_kind is None else ready_kind)

    def random_job(self, L=None, ntiles=None, **kw):
        L = self.length() if L is None else L
        return self.job([self.random_column(L) for _ in range(self.n_cols(ntiles))], **kw)
