"""Random legal cases for tests and testbenches.

``random_case`` returns a dict with exactly the case keys and dtypes. Unless
told otherwise it picks ``sh`` from the accumulator's magnitude so that the
selected output format is informative: the largest |acc·g| lands near a
target that lets a few outputs saturate while most do not.
"""

import numpy as np

from .case import validate_case
from .contract import MAX_L, m_unit
from .gemm import gemm_acc
from .numerics import ELEMENT_RANGE, vec_len

DATA_KINDS = ("random", "max", "min", "rails")
G_MAX = (1 << 16) - 1
BIAS_MIN, BIAS_MAX = -(1 << 15), (1 << 15) - 1

# Target for max|acc·g| >> sh per out_mode: about twice the output range
# (int8/int4), the range the per-vector scale can still represent without
# clamping at 255 (VSQ modes), about ±16 real for the Q5.2 softmax input, and
# a mid-size 18-bit value where the PPU result is not observed (acc).
_TARGET = {"acc": 1 << 15, "int8": 256, "int4": 16, "int4_vsq": 7 * 128, "int8_vsq": 127 * 128, "softmax": 64}


def _operands(rng, data, mode, shape_a, shape_b, shape_sa, shape_sb):
    """(a_q, b_q, a_s, b_s) as int64 arrays for one data kind (see random_case)."""
    lo, hi = ELEMENT_RANGE[mode]
    if data == "random":
        return (rng.integers(lo, hi + 1, shape_a), rng.integers(lo, hi + 1, shape_b),
                rng.integers(0, 256, shape_sa), rng.integers(0, 256, shape_sb))
    if data in ("max", "min"):
        # max: a = b = hi, every product positive; min: a = lo, b = hi, the
        # most negative product. Full scales either way.
        a = np.full(shape_a, hi if data == "max" else lo)
        return a, np.full(shape_b, hi), np.full(shape_sa, 255), np.full(shape_sb, 255)
    if data == "rails":
        return (rng.choice([lo, 0, hi], shape_a), rng.choice([lo, 0, hi], shape_b),
                rng.choice([0, 255], shape_sa), rng.choice([0, 255], shape_sb))
    raise ValueError(f"data must be one of {DATA_KINDS}, got {data!r}")


def _row_params(rng, data, M, target):
    """(g, bias): random mid-range values, or rails for the rail data kinds."""
    if data == "random":
        return rng.integers(1 << 14, G_MAX + 1, M), rng.integers(-(target // 4), target // 4 + 1, M)
    if data == "max":
        return np.full(M, G_MAX), np.full(M, BIAS_MAX)
    if data == "min":
        return np.full(M, G_MAX), np.full(M, BIAS_MIN)
    return rng.choice([0, 1, G_MAX], M), rng.choice([BIAS_MIN, 0, BIAS_MAX], M)


def _informative_shift(acc, g, target):
    """Smallest sh in 0..31 with max|acc·g| >> sh <= target."""
    tmax = int(np.abs(acc * g.astype(np.int64)[:, None]).max(initial=0))
    return next((sh for sh in range(32) if tmax >> sh <= target), 31)


def random_case(rng, *, M, N, K, mode, out_mode, vec, lanes, data="random", sh=None, relu=None):
    """A legal case dict (npz keys and dtypes; mode/out_mode as str).

    data: 'random' uniform elements and scales; 'max'/'min' drive the
    accumulator to its positive/negative rail (elements at the rails, scales
    255, g and bias at their rails); 'rails' mixes rails and zeros for
    elements (lo/0/hi), scales (0/255), g (0/1/65535) and bias.
    """
    V = vec_len(mode, vec)
    steps = K // V
    a_q, b_q, a_s, b_s = _operands(rng, data, mode, (M, K), (K, N), (M, steps), (steps, N))
    target = _TARGET[out_mode]
    g, bias = _row_params(rng, data, M, target)
    case = {
        "mode": mode, "out_mode": out_mode,
        "a_q": a_q.astype(np.int8), "a_s": a_s.astype(np.uint8),
        "b_q": b_q.astype(np.int8), "b_s": b_s.astype(np.uint8),
        "g": g.astype(np.uint16), "bias": bias.astype(np.int16),
        "vec": int(vec), "lanes": int(lanes),
        "relu": bool(rng.integers(2)) if relu is None else bool(relu),
    }
    if sh is None:
        acc = gemm_acc(mode, case["a_q"], case["a_s"], case["b_q"], case["b_s"], vec)
        sh = _informative_shift(acc, case["g"], target)
    case["sh"] = int(sh)
    validate_case(case, "random_case")
    return case


def _multiple(rng, unit, limit):
    if unit > limit:
        raise ValueError(f"no multiple of {unit} fits in {limit}")
    return unit * int(rng.integers(1, limit // unit + 1))


def legal_shape(rng, mode, out_mode, vec, lanes, acc_depth, max_m, max_n, max_k):
    """(M, N, K) legal for the model and aligned to the hardware's tiles.

    M is a multiple of ``lanes`` (and of Vo for the VSQ output modes, at most
    1024 for softmax), N of ``acc_depth``, K of V; each at most its max_*.
    Raises ValueError when no such shape exists.
    """
    if out_mode == "softmax":
        max_m = min(max_m, MAX_L)
    return (_multiple(rng, m_unit(out_mode, {"LANES": lanes, "VEC": vec}), max_m), _multiple(rng, acc_depth, max_n),
            _multiple(rng, vec_len(mode, vec), max_k))
