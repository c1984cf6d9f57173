"""Offline weight quantization: every weight matrix as operand words, once per configuration.

Per-vector VS-Quant weights (``models.vsquant``'s max-abs scales, the MSE clip
``vsquant_mse``, or GPTQ with per-vector scales ``vsquant_gptq``), the
per-tensor / per-channel baselines, and the INT8 per-channel weights of the
int8 mode (``gptq_channel``). Every one produces a legal operand word, so
the choice only changes offline data.
"""

from dataclasses import dataclass

import numpy as np

import models
from models.contract import v_of

from .config import PARAMS, VEC
from .minilm import D_HEAD, HEADS


@dataclass
class QWeight:
    q: np.ndarray  # int8 [M, K]
    s: np.ndarray  # uint8 [M, K/V] (zeros outside int4_vsq)
    scale: np.ndarray  # float64 [M]: real value of one unit of q·s


WCLIP_ALPHAS = tuple(float(a) for a in np.linspace(0.6, 1.0, 41))  # per-vector clip search of ``vsquant_mse``


def vsquant_mse(w, V, nbits, alphas=WCLIP_ALPHAS):
    """Offline per-vector weight quantizer, same (q, sq, gamma) format as ``models.vsquant(coarse="channel")``.

    gamma[r] is the max-based per-channel scale of §7 (the row's largest vector
    reaches sq = 255). Per vector, the candidates are ``models.vsquant``'s own
    (q, sq) and, for every α, sq = clip(rint(α · s_f / gamma), 1, 255) with
    q = clip(rint(w / (sq·gamma)), ±Qmax) (elements quantized with the scale the
    hardware multiplies by); the one with the smallest ||w - q·sq·gamma||² wins.
    Any (q, sq) is a legal int4_vsq word, so this only changes offline data.
    """
    qmax = (1 << (nbits - 1)) - 1
    ref = models.vsquant(w, V, nbits, axis=-1, coarse="channel")
    M, K = w.shape
    wv = np.asarray(w, dtype=np.float64).reshape(M, K // V, V)
    g = np.asarray(ref["gamma"], dtype=np.float64)[:, None]
    ref_q = ref["q"].reshape(M, K // V, V).astype(np.float64)
    ref_s = ref["sq"].astype(np.float64)
    ref_e = ((wv - ref_q * (ref_s * g)[..., None]) ** 2).sum(-1)
    sq = _best_scales(wv, g, qmax, alphas)
    c = (sq * g)[..., None]
    q = np.clip(np.rint(wv / c), -qmax, qmax)
    better = ((wv - q * c) ** 2).sum(-1) < ref_e  # ties keep models.vsquant's word
    best_s = np.where(better, sq, ref_s)
    best_q = np.where(better[..., None], q, ref_q)
    return {"q": best_q.reshape(M, K).astype(np.int8), "sq": best_s.astype(np.uint8), "gamma": ref["gamma"]}


def _best_scales(wv, g, qmax, alphas=WCLIP_ALPHAS):
    """Per (row, vector) sq of wv [M, nv, V] minimizing ||w - q·sq·g||² over the α grid (q at the quantized scale)."""
    s_f = np.abs(wv).max(axis=-1) / qmax
    best_s = np.clip(np.rint(s_f / g), 1, 255)
    best_e = np.full(best_s.shape, np.inf)
    for a in alphas:
        sq = np.clip(np.rint(a * s_f / g), 1, 255)
        c = (sq * g)[..., None]
        e = ((wv - np.clip(np.rint(wv / c), -qmax, qmax) * c) ** 2).sum(-1)
        better = e < best_e
        best_e = np.where(better, e, best_e)
        best_s = np.where(better, sq, best_s)
    return best_s


def _gptq(w, H, V, qmax, block_scale, damp):
    """GPTQ (Frantar et al., 2023) rounding of W [M, K] to integers q with
    W ≈ q·c: columns quantized in order, each column's rounding error spread
    over the not yet quantized columns so as to minimize ||(W - Ŵ)·x||² for
    H = Σ x·xᵀ of the layer's input on the calibration text (1 % damping).
    Blocks of V columns: ``block_scale(k, Wb)`` gives the per-row scale c [M]
    of block k from its error-updated weights Wb [M, V] when the block is
    reached; the later blocks get its error at once. Returns q float [M, K]."""
    M, K = w.shape
    W = np.array(w, dtype=np.float64)
    H = np.array(H, dtype=np.float64)
    dead = np.diag(H) == 0
    H[dead, dead] = 1.0
    W[:, dead] = 0.0
    H[np.diag_indices(K)] += damp * float(np.mean(np.diag(H)))
    U = np.linalg.cholesky(np.linalg.inv(H)).T  # upper: H⁻¹ = Uᵀ·U
    Q = np.zeros((M, K))
    for k, lo in enumerate(range(0, K, V)):
        hi = min(K, lo + V)
        c = block_scale(k, W[:, lo:hi])
        Wb = W[:, lo:hi].copy()
        E = np.zeros((M, hi - lo))
        for j in range(hi - lo):
            q = np.clip(np.rint(Wb[:, j] / c), -qmax, qmax)
            Q[:, lo + j] = q
            E[:, j] = (Wb[:, j] - q * c) / U[lo + j, lo + j]
            Wb[:, j + 1:] -= np.outer(E[:, j], U[lo + j, lo + j + 1:hi])
        W[:, hi:] -= E @ U[lo:hi, hi:]
    return Q


def vsquant_gptq(w, V, nbits, H, damp=0.01):
    """Offline GPTQ with VS-Quant's per-vector scales; same (q, sq, gamma)
    format as ``models.vsquant(coarse="channel")``. A vector's scale sq is
    chosen (``_best_scales``) when its first column is reached, from the
    error-updated weights; gamma[r] is §7's max-based per-channel scale of
    the original row."""
    qmax = (1 << (nbits - 1)) - 1
    M, K = w.shape
    gamma = models.vsquant(w, V, nbits, axis=-1, coarse="channel")["gamma"]
    g = np.asarray(gamma, dtype=np.float64)[:, None]
    S = np.zeros((M, K // V))

    def vector_scale(k, Wb):
        S[:, k] = _best_scales(Wb[:, None, :], g, qmax)[:, 0]
        return S[:, k] * g[:, 0]

    Q = _gptq(w, H, V, qmax, vector_scale, damp)
    return {"q": Q.astype(np.int8), "sq": S.astype(np.uint8), "gamma": gamma}


def gptq_channel(w, nbits, H, V=v_of("int8", PARAMS), damp=0.01):
    """Offline GPTQ with one max-abs scale per output channel (INT8 weights of
    the int8 mode): the same column order and error spreading as
    ``vsquant_gptq``, the scale fixed per row. Returns (q int8 [M, K], scale
    float64 [M]) like ``models.per_channel``."""
    qmax = (1 << (nbits - 1)) - 1
    _, scale = models.per_channel(w, nbits, axis=-1)
    c = np.where(scale[:, 0] > 0, scale[:, 0], 1.0)
    Q = _gptq(w, H, V, qmax, lambda k, Wb: c, damp)
    return Q.astype(np.int8), scale[:, 0]


def quantize_weight8(w, wclip="gptq", hessian=None):
    """INT8 weights with a per-output-channel scale for the int8 mode (``Config.mode8``)."""
    M, K = w.shape
    if wclip == "gptq" and hessian is not None:
        q, scale = gptq_channel(w, 8, hessian)
    else:
        q, scale = models.per_channel(w, 8, axis=-1)
        scale = scale[:, 0]
    return QWeight(q, np.zeros((M, K // v_of("int8", PARAMS)), dtype=np.uint8), np.asarray(scale, dtype=np.float64))


def quantize_weight(w, sch, wclip="max", hessian=None):
    """Offline weight quantization of W [M, K] for a scheme (models.quant; ``wclip="mse"``: ``vsquant_mse``,
    ``wclip="gptq"``: ``vsquant_gptq`` where the input's ``hessian`` is known, else ``vsquant_mse``)."""
    V = v_of(sch.mode, PARAMS)
    M, K = w.shape
    if sch.weights == "vsq":
        if wclip == "gptq" and hessian is not None:
            r = vsquant_gptq(w, V, sch.bits, hessian)
        elif wclip in ("mse", "gptq"):
            r = vsquant_mse(w, V, sch.bits)
        else:
            r = models.vsquant(w, V, sch.bits, axis=-1, coarse="channel")
        return QWeight(r["q"], r["sq"], np.asarray(r["gamma"], dtype=np.float64))
    if sch.weights == "tensor":
        q, scale = models.per_tensor(w, sch.bits)
        scale = np.full(M, scale)
    else:
        q, scale = models.per_channel(w, sch.bits, axis=-1)
        scale = scale[:, 0]
    return QWeight(q, np.zeros((M, K // V), dtype=np.uint8), scale)


def stack_weights(*ws):
    return QWeight(np.concatenate([w.q for w in ws]), np.concatenate([w.s for w in ws]),
                   np.concatenate([w.scale for w in ws]))


def wo_padded(wo):
    """Wo [384, 384] -> [384, 12·64]: zero columns matching the per-head context words."""
    out = np.zeros((wo.shape[0], HEADS, VEC), dtype=wo.dtype)
    out[:, :, :D_HEAD] = wo.reshape(wo.shape[0], HEADS, D_HEAD)
    return out.reshape(wo.shape[0], HEADS * VEC)
