"""Every per-vector scale s = 1..255 in both VSQ out_modes, so that every
entry of the reciprocal table (rtl/vsq_recip.v) is used: random tiles almost
never make a group's max |y| reach the large scales (s > ~190).

Worked backwards from numerics.md §5, s = ceil(mx / Qmax) with mx the group's
max |y|: each (group, column) slot gets a target s and its peak |y| at one
edge of s's interval, mx = s * Qmax ("top", the peak quantizes to the rail)
or (s - 1) * Qmax + 1 ("bottom", one above the previous scale); the other
elements are random within [-mx, mx]. Each y target is then turned into an
acc value for the job's random g, sh and per-row bias (2^(sh - 7) <= g <= 2^sh:
every integer y is reachable, and |acc| <= 2^7 * (|y| + |bias|) < 2^23). The
jobs are checked against the model before they are sent: a job whose y is
not the target or whose scales miss any of 1..255 fails the test here.

Knobs: rounds (default 1; each is a "top" and a "bottom" job per VSQ mode)."""

import numpy as np

from models.numerics import out_group, rhu
from models.ppu import SCALE_MAX, postprocess, ppu
from tb.ppu.seq_lib.base_seq import ACC_MAX, ACC_MIN, PpuBaseSeq

VSQ_MODES = ("int4_vsq", "int8_vsq")
EDGES = ("top", "bottom")


def acc_for(y, g, bias, sh):
    """acc [M, N] with rhu(acc * g, sh) + bias = y (y the pre-ReLU value).
    With a0 = floor((y - bias) * 2^sh / g), rhu(a0 * g, sh) <= y - bias <=
    rhu((a0 + 1) * g, sh), and a step of g / 2^sh <= 1 skips no integer, so
    a0 or a0 + 1 hits."""
    u = y - bias[:, None]
    base = (u << sh) // g[:, None]
    acc = np.zeros_like(u)
    found = np.zeros(u.shape, dtype=bool)
    for d in (0, 1):
        cand = base + d
        ok = ~found & (rhu(cand * g[:, None], sh) == u)
        acc[ok], found = cand[ok], found | ok
    assert found.all(), "scale sweep: no acc value reaches the target y"
    return acc


class PpuScaleSweepSeq(PpuBaseSeq):
    def sweep_job(self, out_mode, edge):
        rng = self.rng
        vo, qmax = out_group(out_mode, self.vec)
        unit = self.m_unit(out_mode)
        M = unit * max(1, self.max_m // unit)
        groups = M // vo
        ntiles = -(-SCALE_MAX // (groups * self.ad))  # enough (group, column) slots for 255 scales
        M, N = self.shape(out_mode, m=M, ntiles=ntiles)
        # One slot per scale, spare slots get random scales; slots in random order.
        scales = np.concatenate([np.arange(1, SCALE_MAX + 1),
                                 rng.integers(1, SCALE_MAX + 1, size=groups * N - SCALE_MAX)])
        scales = rng.permutation(scales).reshape(groups, N)
        mx = scales * qmax if edge == "top" else (scales - 1) * qmax + 1
        relu = bool(rng.integers(4) == 0)
        # Pre-ReLU targets: random within [-mx, mx], one peak of +-mx per slot
        # (positive under ReLU, where the negatives become 0).
        y = np.rint(rng.uniform(-1, 1, size=(groups, vo, N)) * mx[:, None, :]).astype(np.int64)
        peak = rng.integers(vo, size=(groups, N))
        sign = np.ones((groups, N), np.int64) if relu else rng.choice([-1, 1], size=(groups, N))
        np.put_along_axis(y, peak[:, None, :], (sign * mx)[:, None, :], axis=1)
        y = y.reshape(M, N)
        sh = int(rng.integers(0, 17))
        g = rng.integers(1 << max(0, sh - 7), min(1 << sh, 0xFFFF) + 1, size=M)
        bias = rng.integers(-1024, 1025, size=M)
        acc = acc_for(y, g, bias, sh)
        assert ((acc >= ACC_MIN) & (acc <= ACC_MAX)).all(), "scale sweep: acc out of 24 bits"
        # The model is the judge of what this job exercises.
        want_y = np.maximum(y, 0) if relu else y
        assert (ppu(acc, g, bias, sh, relu) == want_y).all(), "scale sweep: y is not the target"
        out_s = postprocess(acc, g, bias, sh, relu, out_mode, self.vec, self.lanes)["out_s"]
        missing = sorted(set(range(1, SCALE_MAX + 1)) - {int(s) for s in np.unique(out_s)})
        assert not missing, f"scale sweep ({out_mode}, {edge}): the model gives no s = {missing}"
        return self.job(out_mode, M, N, acc, g, bias, sh, relu=relu)

    def jobs(self):
        # Built (and checked) before the first is sent, so a sweep that stopped
        # covering every s fails at once.
        jobs = [self.sweep_job(out_mode, edge) for _ in range(self.knobs.get("rounds", 1))
                for edge in EDGES for out_mode in VSQ_MODES]
        yield from jobs
