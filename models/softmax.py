"""Softermax: base-2 online-normalized softmax in fixed point (numerics.md §6).

The input is a column of Q5.2 int8 scores processed a block of ``block``
(= the hardware's LANES) elements at a time. Everything that the contract
defines per element is vectorized over the elements of a block and over
columns; only the running sum ``d`` is a loop over blocks, because it
saturates and is re-aligned at every block.
"""

import numpy as np

from .numerics import C0, C1, POW2, clamp, rhu

MAX_LEN = 1024
D_MAX = (1 << 20) - 1  # running sum, Q10.10, 20 bits
D_SHIFT_ZERO = 20  # d >> s is 0 for s >= 20, since d < 2^20
U_SHIFT_ZERO = 16  # u >> s is 0 for s >= 16, since u <= 2^15
PROB_MAX = 127  # Q1.7, saturated

_POW2 = np.array(POW2, dtype=np.int64)
_C0 = np.array(C0, dtype=np.int64)
_C1 = np.array(C1, dtype=np.int64)


def reciprocal(D):
    """(z, R) with z = floor(log2 D) and R ≈ 2^30 / Dn, Dn = D normalized to [2^15, 2^16).

    Linear interpolation over 8 segments (§6). D must be >= 1; the softmax
    guarantees D >= 608.
    """
    D = np.asarray(D, dtype=np.int64)
    if np.any(D < 1) or np.any(D > D_MAX):
        raise ValueError("reciprocal: D must be in [1, 2^20 - 1]")
    z = np.frexp(D.astype(np.float64))[1].astype(np.int64) - 1  # exact for integers < 2^53
    Dn = np.where(z <= 15, D << np.maximum(15 - z, 0), D >> np.maximum(z - 15, 0))
    i = (Dn >> 12) & 7
    t = Dn & 0xFFF
    R = _C0[i] - ((_C1[i] * t) >> 12)
    return z, R


def exp2_q15(e):
    """u = POW2[e & 3] >> (e >> 2), Q1.15: 2^(-e/4) for a non-negative exponent in quarter units (§6)."""
    e = np.asarray(e, dtype=np.int64)
    return _POW2[e & 3] >> np.minimum(e >> 2, U_SHIFT_ZERO)


def _columns(x, block):
    """x as int64 [L, N] after checking the contract's length/block/value rules."""
    x = np.asarray(x)
    if x.ndim not in (1, 2) or not np.issubdtype(x.dtype, np.integer):
        raise ValueError(f"softermax: x must be an integer array [L] or [L, N], got {x.dtype} {x.shape}")
    L = x.shape[0]
    if not (isinstance(block, (int, np.integer)) and 1 <= block <= L <= MAX_LEN and L % block == 0):
        raise ValueError(f"softermax: need block <= L <= {MAX_LEN} and L a multiple of block, got L = {L}, block = {block}")
    if x.size and (x.min() < -128 or x.max() > 127):
        raise ValueError("softermax: x must hold int8 values (Q5.2)")
    return x.astype(np.int64).reshape(L, -1)


def softermax_trace(x, block):
    """Softermax of each column of x with its internals, for coverage and debug.

    Returns int64 arrays 'm' [nblocks, N] (running max), 'm_inc' [nblocks-1, N]
    (m[b] - m[b-1]), 'd' [nblocks, N] (running sum), 'D', 'z', 'R' [N], and
    'probs' uint8 shaped like x. For a 1-D x the column axis is dropped.
    """
    x2 = _columns(x, block)
    L, N = x2.shape
    nb = L // block
    xb = x2.reshape(nb, block, N)

    # Pass 1, element-wise parts.
    c = (xb + 3) >> 2  # ceil(x / 4)
    m = np.maximum.accumulate(c.max(axis=1), axis=0)  # [nb, N]
    e = 4 * m[:, None, :] - xb  # >= 0, quarter units
    u = exp2_q15(e)
    sb = (u >> 5).sum(axis=1)  # [nb, N], Q10.10

    # Pass 1, the running sum: sequential over blocks.
    m_inc = np.diff(m, axis=0)
    d = np.empty_like(sb)
    d[0] = np.minimum(D_MAX, sb[0])
    for b in range(1, nb):
        d[b] = np.minimum(D_MAX, (d[b - 1] >> np.minimum(m_inc[b - 1], D_SHIFT_ZERO)) + sb[b])

    z, R = reciprocal(d[-1])

    # Pass 2.
    u2 = u >> np.minimum(m[-1] - m, U_SHIFT_ZERO)[:, None, :]
    p = clamp(rhu(u2 * R, 13 + z), 0, PROB_MAX).astype(np.uint8).reshape(L, N)

    trace = {"m": m, "m_inc": m_inc, "d": d, "D": d[-1], "z": z, "R": R, "probs": p}
    if np.ndim(x) == 1:
        trace = {k: v[..., 0] for k, v in trace.items()}
    return trace


def softermax(x, block):
    """uint8 Q1.7 probabilities of x [L] or [L, N] (softmax over axis 0), §6."""
    return softermax_trace(x, block)["probs"]
