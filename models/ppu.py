"""Post-processing unit: per-row scale/bias/ReLU and the output formats (§4, §5).

``postprocess`` is the one place that maps an accumulator tile to the output
keys of a case file, so the CLI, the case runner and the testbenches cannot
disagree about which keys an ``out_mode`` produces.
"""

import numpy as np

from .numerics import PPU_BITS, clamp, out_group, rhu, sat
from .softmax import softermax

SCALE_MAX = 255  # §1: the PPU emits scales in [1, 255]
RECIP_SHIFT = 16  # §5: r = round(2^16 / s)


def ppu(acc, g, bias, sh, relu):
    """18-bit PPU value y [M, N] from acc [M, N], row scale g [M], bias [M] (§4)."""
    acc = np.asarray(acc, dtype=np.int64)
    t = acc * np.asarray(g, dtype=np.int64)[:, None]  # |t| < 2^23 * 2^16: exact in int64
    v = rhu(t, sh) + np.asarray(bias, dtype=np.int64)[:, None]
    if relu:
        v = np.maximum(v, 0)
    return sat(v, PPU_BITS)


def quantize_vectors(y, vo, qmax):
    """Dynamic per-vector quantization of y [M, N] in groups of ``vo`` rows (§5).

    Returns (q int8 [M, N], s uint8 [M/vo, N]); each column's group
    ``y[g*vo:(g+1)*vo, n]`` is one output word with scale ``s[g, n]``.
    """
    y = np.asarray(y, dtype=np.int64)
    M, N = y.shape
    if M % vo:
        raise ValueError(f"quantize_vectors: M = {M} is not a multiple of Vo = {vo}")
    groups = y.reshape(M // vo, vo, N)
    mx = np.abs(groups).max(axis=1)
    s = clamp((mx + qmax - 1) // qmax, 1, SCALE_MAX)
    r = ((1 << (RECIP_SHIFT + 1)) + s) // (2 * s)
    q = clamp(rhu(groups * r[:, None, :], RECIP_SHIFT), -qmax, qmax)
    return q.reshape(M, N).astype(np.int8), s.astype(np.uint8)


def postprocess(acc, g, bias, sh, relu, out_mode, vec, lanes):
    """Output arrays of one GEMM for ``out_mode``, keyed as in a case's outputs.

    Always includes ``acc`` (int32); adds ``out_q`` (int8) for the quantized
    modes, ``out_s`` (uint8 [M/Vo, N]) for the VSQ modes and ``probs`` (uint8)
    for softmax, whose block size is ``lanes``.
    """
    acc = np.asarray(acc, dtype=np.int64)
    out = {"acc": acc.astype(np.int32)}
    if out_mode == "acc":
        return out
    out.update(output_stage(ppu(acc, g, bias, sh, relu), out_mode, vec, lanes))
    return out


def output_stage(y, out_mode, vec, lanes):
    """The output arrays (all but ``acc``) of ``out_mode`` from the 18-bit PPU value y [M, N] (§5, §6)."""
    if out_mode == "int8":
        return {"out_q": clamp(y, -127, 127).astype(np.int8)}
    if out_mode == "int4":
        return {"out_q": clamp(y, -7, 7).astype(np.int8)}
    if out_mode == "softmax":
        return {"probs": softermax(clamp(y, -127, 127), lanes)}
    vo, qmax = out_group(out_mode, vec)  # raises on an unknown out_mode
    q, s = quantize_vectors(y, vo, qmax)
    return {"out_q": q, "out_s": s}
