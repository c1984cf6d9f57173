"""The pipeline's GEMMs as cases of the reference model.

Every coarse scale is static, so it folds into the PPU's ``g``/``sh`` (and the
bias into ``bias``) per GEMM: ``g[m]·2^-sh = F[m]`` with F = (real value of
one acc unit) / (output unit). ``gemm_case`` is the case dict of
architecture.md ("Case files") that ``models.run_case`` runs; the batched
attention GEMMs describe their slices as such cases (``Slices``), and
``SelfCheck`` re-runs one random slice of every batched call through
``models.run_case`` and compares it bit for bit.
"""

import math
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

import models
from models.case import ARRAY_DTYPES, SH_MAX

from .config import LANES, VEC

# The ranges of the case's g and bias arrays (their dtypes, models.case).
G_MAX = int(np.iinfo(ARRAY_DTYPES["g"]).max)
BIAS_MIN, BIAS_MAX = int(np.iinfo(ARRAY_DTYPES["bias"]).min), int(np.iinfo(ARRAY_DTYPES["bias"]).max)


def fold(F):
    """(g uint16, sh) with g·2^-sh ≈ F >= 0: the largest shift that keeps max g <= 65535."""
    F = np.asarray(F, dtype=np.float64)
    fmax = float(F.max())
    if fmax <= 0:
        return np.zeros(F.shape, dtype=np.uint16), 0
    sh = min(SH_MAX, int(math.floor(math.log2(G_MAX / fmax))))
    if sh < 0:
        raise ValueError(f"fold: scale factor {fmax:.3g} needs a negative shift")
    g = np.clip(np.rint(F * 2.0 ** sh), 0, G_MAX)
    return g.astype(np.uint16), sh


def int_bias(b, out_scale, stats=None):
    """PPU bias [M] int16 in output units (saturated; counted in ``stats``)."""
    v = np.rint(np.asarray(b, dtype=np.float64) / out_scale)
    if stats is not None:
        stats["bias_clipped"] = stats.get("bias_clipped", 0) + int(np.sum((v < BIAS_MIN) | (v > BIAS_MAX)))
    return np.clip(v, BIAS_MIN, BIAS_MAX).astype(np.int16)


def gemm_case(mode, out_mode, a_q, a_s, b_q, b_s, g, bias, sh):
    """The case dict of one GEMM of the pipeline (paper parameters, no ReLU)."""
    return {"mode": mode, "out_mode": out_mode, "a_q": np.ascontiguousarray(a_q, dtype=np.int8),
            "a_s": np.ascontiguousarray(a_s, dtype=np.uint8), "b_q": np.ascontiguousarray(b_q, dtype=np.int8),
            "b_s": np.ascontiguousarray(b_s, dtype=np.uint8), "g": np.asarray(g, dtype=np.uint16),
            "bias": np.asarray(bias, dtype=np.int16), "sh": int(sh), "relu": False, "vec": VEC, "lanes": LANES}


def run_case_chunked(case, chunk=1024):
    """``models.run_case`` over column chunks of B (columns are independent; 1024 is the
    fastest chunk on this machine: the per-step arrays stay in cache)."""
    N = case["b_q"].shape[1]
    if N <= chunk:
        return models.run_case(case)
    parts = [models.run_case(dict(case, b_q=np.ascontiguousarray(case["b_q"][:, j:j + chunk]),
                                  b_s=np.ascontiguousarray(case["b_s"][:, j:j + chunk])))
             for j in range(0, N, chunk)]
    return {k: np.concatenate([p[k] for p in parts], axis=1) for k in parts[0]}


@dataclass
class Slices:
    """The ``count`` GEMMs of one call, each as a case of ``models.run_case``.

    A linear GEMM is one slice; a batched attention call has one per (sentence,
    head), slice i = sentence i // 12, head i % 12. ``case(i)`` builds slice i's
    case; ``expect(i)`` is (what the batched arithmetic produced for it, keyed
    like the case's outputs; the columns compared, or None for all).
    """

    count: int
    case: Callable[[int], dict]
    expect: Optional[Callable[[int], tuple]] = None

    @classmethod
    def one(cls, case):
        return cls(1, lambda i: case)


@dataclass
class SelfCheck:
    """Re-runs one random slice of every batched GEMM through ``models.run_case``."""

    rng: np.random.Generator = field(default_factory=lambda: np.random.default_rng(8))
    checked: int = 0
    failed: int = 0

    def __call__(self, slices):
        i = int(self.rng.integers(slices.count))
        expect, cols = slices.expect(i)
        self.compare(slices.case(i), expect, cols)

    def compare(self, case, expect, cols=None):
        out = models.run_case(case)
        ok = True
        for key, val in expect.items():
            got = out[key] if cols is None else out[key][:, cols]
            ok &= np.array_equal(got, val)
        self.checked += 1
        if not ok:
            self.failed += 1
            raise AssertionError(f"batched {case['mode']}/{case['out_mode']} GEMM differs from models.run_case")
