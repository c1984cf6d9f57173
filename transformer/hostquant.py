"""Activations as operand words: the host's float-side quantizers and the per-head layout.

The host turns a float activation into operand words with a *static*
(calibrated) coarse scale; the words of a GEMM's output come from the PPU
(pipeline.py). Both are held as a ``QAct``.
"""

from dataclasses import dataclass

import numpy as np

from .config import VEC
from .minilm import D_HEAD, HEADS, HIDDEN


@dataclass
class QAct:
    """An activation as operand words, token-major: q int8 [N, C]; s uint8 [N, C/vo] or None.

    ``scale`` is the coarse scale (real value of one unit of q·s): a scalar,
    or [C] per channel. ``heads`` marks the padded per-head layout (C = 12·64).
    """

    q: np.ndarray
    s: object
    scale: object
    vo: int = VEC
    heads: bool = False

    def dequant(self):
        x = self.q.astype(np.float32)
        if self.s is not None:
            N, C = x.shape
            x = (x.reshape(N, C // self.vo, self.vo) * self.s[:, :, None].astype(np.float32)).reshape(N, C)
        x *= np.asarray(self.scale, dtype=np.float32)
        return unpad_heads(x) if self.heads else x


def as_float(x):
    return x.dequant() if isinstance(x, QAct) else x


def pad_heads(x):
    """[N, 384] -> [N, 12·64]: each head's 32 values followed by 32 zeros."""
    N = x.shape[0]
    out = np.zeros((N, HEADS, VEC), dtype=x.dtype)
    out[:, :, :D_HEAD] = x.reshape(N, HEADS, D_HEAD)
    return out.reshape(N, HEADS * VEC)


def unpad_heads(x):
    N = x.shape[0]
    return np.ascontiguousarray(x.reshape(N, HEADS, VEC)[:, :, :D_HEAD].reshape(N, HIDDEN))


def vsquant_static(x, nbits, gamma, vo=VEC):
    """numerics.md §7 two-level quantizer of x [N, C] (vectors along C) with a *given* coarse scale.

    Exactly ``models.quant.vsquant`` (float64, rint) except that ``gamma`` is
    the static calibrated per-tensor scale instead of the tensor's own maximum:
    scales above 255·gamma clip to 255. Returns (q int8 [N, C], sq uint8 [N, C/vo]).
    """
    qmax = (1 << (nbits - 1)) - 1
    N, C = x.shape
    xv = np.asarray(x, dtype=np.float64).reshape(N, C // vo, vo)
    s_f = np.abs(xv).max(axis=-1) / qmax
    q = np.divide(xv, s_f[..., None], out=np.zeros_like(xv), where=s_f[..., None] != 0)
    np.rint(q, out=q)
    np.clip(q, -qmax, qmax, out=q)
    sq = np.clip(np.rint(s_f / gamma), 0, 255)
    return q.reshape(N, C).astype(np.int8), sq.astype(np.uint8)


def host_quant(x, kind, nbits, scale, vo=VEC, heads=False):
    """The host's float-side quantizer (static scale) of a float activation [N, C]:
    ``kind`` 'vsq' (per-vector, ``vsquant_static``) or 'tensor' (one coarse scale, per tensor or per channel)."""
    qmax = (1 << (nbits - 1)) - 1
    if heads:
        x = pad_heads(x)
    if kind == "vsq":
        q, s = vsquant_static(x, nbits, scale, vo)
        return QAct(q, s, np.float64(scale), vo, heads)
    q = np.clip(np.rint(np.asarray(x, dtype=np.float64) / scale), -qmax, qmax).astype(np.int8)
    return QAct(q, None, scale, vo, heads)
