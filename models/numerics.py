"""Integer primitives and constants shared by every block of the model.

Everything here is a direct transcription of docs `numerics.md` (the
arithmetic contract): the rounding and saturation helpers are used by the
GEMM, PPU and softmax so that one formula has exactly one implementation.
All helpers work element-wise on numpy int64 arrays; Python ints are
accepted and come back as numpy int64 scalars/arrays.
"""

import numpy as np

# numerics.md §6 — the Softermax tables, exactly as written there.
POW2 = (32768, 27554, 23170, 19484)  # round(2^15 * 2^(-f/4)), Q1.15
C0 = (32768, 29127, 26214, 23831, 21845, 20165, 18725, 17476, 16384)  # round(2^30 / (2^15 + i*2^12))
C1 = (3641, 2913, 2383, 1986, 1680, 1440, 1249, 1092)  # C0[i] - C0[i+1]

MODES = ("int8", "int4", "int4_vsq")
OUT_MODES = ("acc", "int8", "int4", "int4_vsq", "int8_vsq", "softmax")

ACC_BITS = 24  # §2: accumulator width
PPU_BITS = 18  # §4: PPU value width

# §1: element range accepted by the datapath, per operand mode.
ELEMENT_RANGE = {"int8": (-128, 127), "int4": (-8, 7), "int4_vsq": (-8, 7)}


def rhu(x, k):
    """Round half up: ``(x + 2^(k-1)) >> k`` for k >= 1 and ``x`` for k = 0.

    ``>>`` is numpy's arithmetic (floor) shift, so negative ties round
    towards +inf, e.g. rhu(-5, 2) = (-5 + 2) >> 2 = -1. ``k`` may be a
    scalar or an array broadcastable against ``x``.
    """
    x = np.asarray(x, dtype=np.int64)
    k = np.asarray(k, dtype=np.int64)
    if np.any(k < 0):
        raise ValueError("rhu: shift must be >= 0")
    # 2^(k-1) for k >= 1 and 0 for k = 0, so that k = 0 returns x unchanged.
    half = np.where(k > 0, np.left_shift(np.int64(1), np.maximum(k - 1, 0)), 0)
    return (x + half) >> k


def clamp(x, lo, hi):
    """Clamp element-wise to [lo, hi] (int64 result)."""
    return np.clip(np.asarray(x, dtype=np.int64), lo, hi)


def sat(x, bits):
    """Signed saturation to the ``bits``-bit two's-complement range."""
    return clamp(x, -(1 << (bits - 1)), (1 << (bits - 1)) - 1)


def vec_len(mode, vec):
    """Elements per operand vector V: VEC in the INT4 modes, VEC/2 in INT8."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    return vec if mode.startswith("int4") else vec // 2


def out_group(out_mode, vec):
    """(Vo, Qmax) of a per-vector quantized output mode (§5)."""
    if out_mode == "int4_vsq":
        return vec, 7
    if out_mode == "int8_vsq":
        return vec // 2, 127
    raise ValueError(f"out_mode {out_mode!r} has no output vector group")
