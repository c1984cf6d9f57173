"""Float-side quantization done by host software (numerics.md §7).

Float64 throughout, ``np.rint`` (round half to even), narrow ranges
(±Qmax, Qmax = 2^(nbits-1) - 1). Layout convention, for every function here:

* ``axis`` is the **reduction axis**, the one the vectors run along —
  ``-1`` for weights W [out, in], ``0`` for activations X^T [in, tokens].
* A "row" is one index of all the other axes (an output channel of W, a
  token of X^T).
* Per-vector scales come back with ``axis`` shrunk by V, i.e. shaped like
  the case's ``a_s`` [out, in/V] (axis=-1) or ``b_s`` [in/V, tokens] (axis=0).
"""

import numpy as np

SQ_MAX = 255  # 8-bit unsigned per-vector scale


def qmax_of(nbits):
    """Largest magnitude a narrow-range signed ``nbits`` quantizer emits."""
    return (1 << (nbits - 1)) - 1


def _vectors(x, vec_len, axis):
    """x moved to [..., nvec, V] with the reduction axis split into vectors."""
    x = np.moveaxis(np.asarray(x, dtype=np.float64), axis, -1)
    if x.shape[-1] % vec_len:
        raise ValueError(f"reduction length {x.shape[-1]} is not a multiple of the vector length {vec_len}")
    return x.reshape(*x.shape[:-1], x.shape[-1] // vec_len, vec_len)


def _from_vectors(xv, axis):
    """Inverse of ``_vectors``: [..., nvec, V] back to x's layout."""
    return np.moveaxis(xv.reshape(*xv.shape[:-2], -1), -1, axis)


def _safe_div(num, den):
    """num / den, 0 where den == 0 (an all-zero vector quantizes to zeros)."""
    return np.divide(num, den, out=np.zeros(np.broadcast_shapes(np.shape(num), np.shape(den))), where=den != 0)


def vsquant(x, vec_len, nbits, axis=-1, coarse="channel"):
    """VS-Quant two-level max-abs calibration of a float tensor (§7, eqs. 7a–7j).

    Returns dict(q int8 shaped like x, sq uint8 per-vector scales (see module
    docstring), gamma float64: one per row for ``coarse='channel'`` (shape of
    x without ``axis``), a 0-d array for ``coarse='tensor'``).
    """
    if coarse not in ("channel", "tensor"):
        raise ValueError(f"coarse must be 'channel' or 'tensor', got {coarse!r}")
    qmax = qmax_of(nbits)
    xv = _vectors(x, vec_len, axis)  # [..., nvec, V]
    s_f = np.abs(xv).max(axis=-1) / qmax  # [..., nvec]
    q = np.clip(np.rint(_safe_div(xv, s_f[..., None])), -qmax, qmax)
    top = s_f.max(axis=-1) if coarse == "channel" else s_f.max()
    gamma = np.where(top > 0, top / SQ_MAX, 1.0)
    g = gamma[..., None] if coarse == "channel" else gamma
    sq = np.clip(np.rint(s_f / g), 0, SQ_MAX)
    return {
        "q": _from_vectors(q, axis).astype(np.int8),
        "sq": np.moveaxis(sq, -1, axis).astype(np.uint8),
        "gamma": gamma,
    }


def vsq_dequant(q, sq, gamma, vec_len, axis=-1):
    """x_hat = q · sq · gamma, with the layouts ``vsquant`` returns."""
    qv = _vectors(q, vec_len, axis)  # [..., nvec, V]
    s = np.moveaxis(np.asarray(sq, dtype=np.float64), axis, -1)  # [..., nvec]
    g = np.asarray(gamma, dtype=np.float64)
    g = g[..., None] if g.ndim else g
    return _from_vectors(qv * (s * g)[..., None], axis)


def per_tensor(x, nbits):
    """Max-abs per-tensor quantizer: (q int8, scale float) with x ≈ q · scale."""
    x = np.asarray(x, dtype=np.float64)
    qmax = qmax_of(nbits)
    scale = np.abs(x).max() / qmax
    q = np.clip(np.rint(_safe_div(x, scale)), -qmax, qmax)
    return q.astype(np.int8), float(scale)


def per_channel(x, nbits, axis=-1):
    """Max-abs per-row quantizer, the maximum taken along ``axis``.

    Returns (q int8, scale float64 with ``axis`` kept as length 1) so that
    ``dequant(q, scale)`` broadcasts.
    """
    x = np.asarray(x, dtype=np.float64)
    qmax = qmax_of(nbits)
    scale = np.abs(x).max(axis=axis, keepdims=True) / qmax
    q = np.clip(np.rint(_safe_div(x, scale)), -qmax, qmax)
    return q.astype(np.int8), scale


def dequant(q, scale):
    """x_hat = q · scale for the per-tensor and per-channel quantizers."""
    return np.asarray(q, dtype=np.float64) * scale
