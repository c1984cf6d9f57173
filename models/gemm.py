"""The vector-MAC datapath and the GEMM built from it (numerics.md §2, §3).

``gemm_acc`` is the bit-exact model of what the lanes accumulate. It is fast
because the only sequential part of the contract — ``acc <- sat24(acc + d)``
in ascending k — is a loop over the K/V steps on whole [M, N] arrays, and
each step's dot products come from one floating-point BLAS matmul
[M, V] x [V, N] that is exact:

* every partial sum of a dot product is an integer of magnitude at most
  ``V * max|a| * max|b|``;
* float32 represents every integer up to 2^24 exactly, float64 up to 2^53;
* so if ``dmax = V * max|a| * max|b| * max(p8)`` is at most 2^23, the dots,
  the products ``dot * p8`` and every ``acc + d`` (|acc| <= 2^23) stay within
  2^24 in magnitude and float32 is exact whatever order BLAS sums in.
  That covers the paper configuration (INT4-VSQ, V = 64: dmax = 64*64*254
  < 2^20) and INT8 with V = 32. Otherwise float64 is used, exact for any V
  up to 2^20 (dmax + 2^23 < 2^53).
"""

import numpy as np

from .numerics import ACC_BITS, MODES, vec_len

ACC_MIN = -(1 << (ACC_BITS - 1))
ACC_MAX = (1 << (ACC_BITS - 1)) - 1
P8_MAX = (255 * 255 + 128) >> 8  # 254: largest rounded scale product
FLOAT32_EXACT_DMAX = 1 << 23  # see module docstring
FLOAT64_EXACT_DMAX = (1 << 53) - (1 << 23)


def scale_product(sa, sb, dtype=np.int64):
    """Rounded product of two 8-bit scales: ``p8 = (sa*sb + 128) >> 8`` (0..254).

    ``dtype`` is the integer type the formula is evaluated in; uint16 is
    exact too (255*255 + 128 < 2^16) and is what ``gemm_acc`` uses because
    it moves a quarter of the bytes of int64.
    """
    return (np.asarray(sa, dtype=dtype) * np.asarray(sb, dtype=dtype) + dtype(128)) >> dtype(8)


def lane_step(mode, a, sa, b, sb):
    """One lane, one step: the contribution ``d`` of vectors a, b [..., V] (§2).

    ``sa``/``sb`` are the words' scales (shape [...]); they only matter in
    ``int4_vsq``. Kept deliberately plain: it is the per-step definition that
    the vectorized ``gemm_acc`` must agree with.
    """
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    dot = np.sum(np.asarray(a, dtype=np.int64) * np.asarray(b, dtype=np.int64), axis=-1)
    return dot * scale_product(sa, sb) if mode == "int4_vsq" else dot


def _max_abs(x):
    """max|x| as a Python int, without widening the int8 array."""
    return max(-int(x.min(initial=0)), int(x.max(initial=0)))


def gemm_acc(mode, a_q, a_s, b_q, b_s, vec):
    """Accumulator of C = A·B, int64 [M, N], bit-exact to §2/§3.

    a_q [M, K], a_s [M, K/V], b_q [K, N], b_s [K/V, N]; the scales are only
    read in ``int4_vsq``. Every step saturates to 24 bits, in ascending k.
    """
    return gemm_acc_sat(mode, a_q, a_s, b_q, b_s, vec)[0]


def gemm_acc_sat(mode, a_q, a_s, b_q, b_s, vec):
    """gemm_acc and which rails a step clipped at: (acc, sat) with sat bit 0
    set when some step's sum exceeded +2^23-1, bit 1 when one went below
    -2^23 (the engine's sat_seen)."""
    V = vec_len(mode, vec)
    a_q = np.asarray(a_q)
    b_q = np.asarray(b_q)
    M, K = a_q.shape
    if b_q.shape[0] != K or K % V:
        raise ValueError(f"gemm_acc: K mismatch or not a multiple of V={V}: A {a_q.shape}, B {b_q.shape}")
    N = b_q.shape[1]
    steps = K // V
    vsq = mode == "int4_vsq"

    dmax = V * _max_abs(a_q) * _max_abs(b_q) * (P8_MAX if vsq else 1)
    if dmax > FLOAT64_EXACT_DMAX:
        raise ValueError(f"gemm_acc: V = {V} too large for exact accumulation")
    dtype = np.float32 if dmax <= FLOAT32_EXACT_DMAX else np.float64

    # One BLAS call per step into a reused [M, N] buffer, consumed at once
    # while it is hot in cache: the same exactness argument as one stacked
    # matmul over [steps, M, V] x [steps, V, N], but O(M*N) memory instead of
    # O(M*N*K/V), and numpy's stacked matmul measured no faster (see
    # docs/model-decisions.md).
    a_f = a_q.astype(dtype)
    b_f = b_q.astype(dtype)
    if vsq:
        a_s = np.asarray(a_s)
        b_s = np.asarray(b_s)
    acc = np.zeros((M, N), dtype=dtype)
    d = np.empty((M, N), dtype=dtype)
    sat = 0
    for k in range(steps):
        np.matmul(a_f[:, k * V:(k + 1) * V], b_f[k * V:(k + 1) * V], out=d)
        if vsq:
            d *= scale_product(a_s[:, k, None], b_s[None, k, :], np.uint16)
        acc += d
        # While (k+1)*dmax < 2^23 no element can have reached a rail yet, so
        # the clamp would be a no-op; skipping it is exact and saves a pass.
        if (k + 1) * dmax > ACC_MAX:
            sat |= int(bool((acc > ACC_MAX).any())) | 2 * int(bool((acc < ACC_MIN).any()))
            np.clip(acc, ACC_MIN, ACC_MAX, out=acc)
    return acc.astype(np.int64), sat
