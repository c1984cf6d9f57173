"""MiniLM through the accelerator's numerics: every matrix product as a case of ``models``.

Mapping of one BERT layer (numerics.md §3; ``VEC = 64``, ``LANES = 16``):

======== =============================== ================================ ============================
class    GEMM (A · B)                    B operand comes from             output (out_mode)
======== =============================== ================================ ============================
qkv      [Wq; Wk] · Xᵀ  (M = 768)        host quantizer (after LayerNorm) int4_vsq → QKᵀ
qkv      Wv · Xᵀ                          (same words)                     int8, per-channel scale → P·V
scores   K_h · Q_hᵀ (d = 32 padded to 64) Q words of the QK GEMM           softmax (Q5.2 in, Q1.7 out)
context  V_hᵀ · P  (int8 mode)           the softmax's probabilities      int4_vsq, one head per word
wo       Wo · ctxᵀ (K = 12·64, padded)    the context GEMM's words         int8_vsq → host (residual, LN)
ffn1     W1 · Xᵀ                          host quantizer (after LayerNorm) int8_vsq → host (GELU)
ffn2     W2 · Gᵀ                          host quantizer (after GELU)      int8_vsq → host (residual, LN)
======== =============================== ================================ ============================

* A head has 32 dimensions and a vector 64 elements, so reductions over a
  head are padded with zeros, which is exact: in QKᵀ the Q/K words (two heads
  per word, one scale) are masked to the head; P·V produces one word per head
  (32 values, 32 zero rows), and Wo's reduction is laid out the same way (K =
  12 × 64 with zero columns), so every context word keeps its own scale.
* Sequences are padded to a multiple of 32 (the softmax's LANES = 16 and the
  int8 P·V's V = 32); padded keys get PPU bias −32768, i.e. the Q5.2 score
  −31.75, whose Softermax term is exactly 0 (checked: ``mask_leaks``).
* K's bias is dropped (it adds a per-query constant to every score: softmax
  invariant, exact); V's bias is added by the P·V PPU (ctx = P·V + b_v, exact
  when the probabilities sum to 1), so neither eats operand range.
* Every coarse scale is static: weights' per-channel scales offline,
  activations' per-tensor scales from ``calibrate``; all of them fold into the
  PPU's ``g``/``sh`` (and the bias into ``bias``) per GEMM:
  ``g[m]·2^-sh = F[m]`` with F = (real value of one acc unit) / (output unit).

The linear layers call ``models.run_case`` on the literal case dict. The
attention GEMMs are thousands of small cases (one per sentence and head);
they run batched with the same arithmetic (``models`` primitives), and a
random slice of every batched call is re-run through ``models.run_case`` and
compared bit for bit (``SelfCheck``).

``Config`` selects the quantization scheme (VS-Quant or the INT4/INT8
baselines), the softmax, which GEMM classes are quantized (the rest run in
FP32), the format of the outputs the host reads, and one ablation that is
*not* the hardware (an unrounded scale product), used only to apportion the loss.

Mixed precision (``Config.mode8``): the named linear classes with a
host-quantized B operand (qkv, ffn1, ffn2) run in the datapath's 8-bit mode.
The datapath has one 8-bit operand mode, ``int8`` (numerics.md §2: V = VEC/2,
no per-vector scales — the scale field is ignored outside int4_vsq; an
``int8_vsq`` *operand* mode does not exist, int8_vsq is an output format only).
So the weights are INT8 with a per-output-channel scale (folded into g, free;
GPTQ-rounded where the input Hessian is known) and the host quantizes the
activation to INT8 with a static per-tensor scale. The GEMM's out_mode is the
vsq4 one (int4_vsq Q/K words, int8 V, int8_vsq to the host), and it still goes
through ``models.run_case``. An INT8 step does VEC/2 MACs where an INT4 step
does VEC, so those GEMMs take twice the lane cycles (``layer_steps``).
"""

import math
from dataclasses import dataclass, field

import numpy as np

import models
from models.gemm import ACC_MAX, ACC_MIN, FLOAT32_EXACT_DMAX, P8_MAX, scale_product
from models.numerics import clamp, rhu, sat, vec_len

from . import minilm
from .minilm import D_HEAD, HEADS, HIDDEN

VEC, LANES = 64, 16
CLASSES = ("qkv", "scores", "context", "wo", "ffn1", "ffn2")
MODE8_CLASSES = ("qkv", "ffn1", "ffn2")  # classes ``Config.mode8`` may name: B comes from the host quantizer
HOST_POINT_CLASS = {"x_qkv": "qkv", "x_ffn1": "ffn1", "x_ffn2": "ffn2"}  # host-quantized operand -> its GEMM class
WEIGHT_CLASS = {"qk": "qkv", "v": "qkv", "wo": "wo", "w1": "ffn1", "w2": "ffn2"}
LOG2E = 1.0 / math.log(2.0)
MASK_BIAS = -(1 << 15)
G_MAX = (1 << 16) - 1
SH_MAX = 31
BIAS_MIN, BIAS_MAX = -(1 << 15), (1 << 15) - 1


# ---------------------------------------------------------------------------
# Configurations


@dataclass(frozen=True)
class Scheme:
    mode: str  # datapath mode of the linear/score GEMMs
    weights: str  # 'vsq' (per-channel coarse + per-vector), 'tensor', 'channel'
    acts: str  # 'vsq' (per-tensor coarse + per-vector) or 'tensor'
    bits: int  # activation / weight bits
    v_scale: str  # coarse scale of V (the P·V A operand): 'channel' or 'tensor'

    @property
    def vsq(self):
        return self.acts == "vsq"

    @property
    def link_out(self):
        """out_mode of a GEMM that feeds another GEMM."""
        return {"int4_vsq": "int4_vsq", "int4": "int4", "int8": "int8"}[self.mode]


SCHEMES = {
    "vsq": Scheme("int4_vsq", "vsq", "vsq", 4, "channel"),
    "int4_tensor": Scheme("int4", "tensor", "tensor", 4, "tensor"),
    "int4_channel": Scheme("int4", "channel", "tensor", 4, "channel"),
    "int8_channel": Scheme("int8", "channel", "tensor", 8, "channel"),
}


@dataclass(frozen=True)
class Config:
    name: str
    scheme: str = "vsq"
    softmax: str = "hw"  # 'hw' (Softermax, §6) or 'float' (exact softmax of the integer scores, rounded to Q1.7)
    quantized: tuple = CLASSES  # GEMM classes through the integer pipeline; the others run in FP32
    host_bits: int = 8  # PPU outputs the host reads (wo, ffn1, ffn2): 8 or 4 bits, 0 = raw acc (exact)
    calib: str = "max"  # static VS-Quant scales: 'max', a percentile such as 'p99.99', or 'mse' (calibrate.py)
    wclip: str = "gptq"  # offline VS-Quant weights: 'gptq' (vsquant_gptq), 'mse' (vsquant_mse), 'max' (models.vsquant)
    chan_order: str = "natural"  # reduction order of host-quantized operands: 'natural' or 'sorted' (calibrate.py)
    float_scale_product: bool = False  # ablation (not the hardware): p8 = sA·sB/256 unrounded
    mode8: tuple = ()  # classes (of MODE8_CLASSES) whose GEMMs run in the int8 datapath mode (module docstring)
    description: str = ""

    def __post_init__(self):
        bad = [c for c in self.mode8 if c not in MODE8_CLASSES]
        if bad:
            raise ValueError(f"mode8: {bad} not in {MODE8_CLASSES} (only host-quantized B operands)")
        if self.mode8 and self.scheme != "vsq":
            raise ValueError("mode8 mixes int8 GEMMs into the VS-Quant scheme only")

    @property
    def sch(self):
        return SCHEMES[self.scheme]

    def mode(self, cls):
        """Datapath mode of a GEMM class."""
        return "int8" if cls in self.mode8 else self.sch.mode

    def q(self, cls):
        return cls in self.quantized

    @property
    def bit_exact(self):
        return not self.float_scale_product


# ---------------------------------------------------------------------------
# Activations as operand words


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
    """The host's float-side quantizer (static scale) of a float activation [N, C]."""
    qmax = (1 << (nbits - 1)) - 1
    if heads:
        x = pad_heads(x)
    if kind == "vsq":
        q, s = vsquant_static(x, nbits, scale, vo)
        return QAct(q, s, np.float64(scale), vo, heads)
    q = np.clip(np.rint(np.asarray(x, dtype=np.float64) / scale), -qmax, qmax).astype(np.int8)
    return QAct(q, None, scale, vo, heads)


# ---------------------------------------------------------------------------
# Folding coarse scales into the PPU


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


# ---------------------------------------------------------------------------
# Weights


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


def gptq_channel(w, nbits, H, V=VEC // 2, damp=0.01):
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
    return QWeight(q, np.zeros((M, K // vec_len("int8", VEC)), dtype=np.uint8), np.asarray(scale, dtype=np.float64))


def quantize_weight(w, sch, wclip="max", hessian=None):
    """Offline weight quantization of W [M, K] for a scheme (models.quant; ``wclip="mse"``: ``vsquant_mse``,
    ``wclip="gptq"``: ``vsquant_gptq`` where the input's ``hessian`` is known, else ``vsquant_mse``)."""
    V = vec_len(sch.mode, VEC)
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


# ---------------------------------------------------------------------------
# Bit-exact self-check of the batched attention GEMMs


@dataclass
class SelfCheck:
    """Re-runs one random slice of every batched GEMM through ``models.run_case``."""

    rng: np.random.Generator = field(default_factory=lambda: np.random.default_rng(8))
    checked: int = 0
    failed: int = 0

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


# ---------------------------------------------------------------------------
# The pipeline


def _empty_case(mode, out_mode, a_q, a_s, b_q, b_s, g, bias, sh):
    return {"mode": mode, "out_mode": out_mode, "a_q": np.ascontiguousarray(a_q, dtype=np.int8),
            "a_s": np.ascontiguousarray(a_s, dtype=np.uint8), "b_q": np.ascontiguousarray(b_q, dtype=np.int8),
            "b_s": np.ascontiguousarray(b_s, dtype=np.uint8), "g": np.asarray(g, dtype=np.uint16),
            "bias": np.asarray(bias, dtype=np.int16), "sh": int(sh), "relu": False, "vec": VEC, "lanes": LANES}


def batched_acc(mode, a_q, a_s, b_q, b_s, float_sp=False):
    """acc [G, M, N] of G GEMMs a_q [G, M, K] · b_q [G, K, N]: ``models.gemm.gemm_acc`` batched.

    Same exactness argument and the same per-step saturation; the result is
    float (integer-valued). ``float_sp`` is the unrounded-scale-product ablation.
    """
    V = vec_len(mode, VEC)
    G, M, K = a_q.shape
    N = b_q.shape[2]
    vsq = mode == "int4_vsq"
    amax = max(-int(a_q.min(initial=0)), int(a_q.max(initial=0)))
    bmax = max(-int(b_q.min(initial=0)), int(b_q.max(initial=0)))
    dmax = V * amax * bmax * (P8_MAX if vsq else 1)
    dtype = np.float32 if dmax <= FLOAT32_EXACT_DMAX and not float_sp else np.float64
    a_f = a_q.astype(dtype)
    b_f = b_q.astype(dtype)
    acc = np.zeros((G, M, N), dtype=dtype)
    for k in range(K // V):
        d = np.matmul(a_f[:, :, k * V:(k + 1) * V], b_f[:, k * V:(k + 1) * V, :])
        if vsq:
            if float_sp:
                d *= a_s[:, :, k, None].astype(np.float64) * b_s[:, None, k, :] / 256.0
            else:
                d *= scale_product(a_s[:, :, k, None], b_s[:, None, k, :], np.uint16)
        acc += d
        if (k + 1) * dmax > ACC_MAX:
            np.clip(acc, ACC_MIN, ACC_MAX, out=acc)
    return acc


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


class Pipeline:
    """The accelerator forward pass of one configuration (see module docstring).

    ``scales`` maps a calibration point to its static coarse scale (from
    ``calibrate.scales_for``); ``taps``, if given, is called with (layer,
    point, float array) at every quantization point — used by calibration.
    """

    def __init__(self, cfg, scales=None, weights=None, taps=None, selfcheck=True):
        self.cfg = cfg
        self.sch = cfg.sch
        self.w = weights or minilm.load_weights()
        self.scales = scales or {}
        self.taps = taps
        self.check = SelfCheck() if selfcheck else None
        self.stats = {"mask_leaks": 0, "bias_clipped": 0, "gemms": 0, "batched_gemms": 0}
        self._qw = {}

    # -- helpers ------------------------------------------------------------
    def tap(self, layer, point, x):
        if self.taps is not None:
            self.taps(layer, point, as_float(x))

    def scale(self, layer, point):
        return self.scales[f"{layer}.{point}"]

    def order(self, layer, point):
        """Channel order of a host-quantized operand (None: natural). A permutation of the reduction
        dimension applied to both operands (the activation's columns, the weight's columns) is pure
        layout: the GEMM's result is the same sum over the same vectors' products."""
        return self.scales.get(f"{layer}.{point}/order")

    def qweight(self, layer, name):
        key = (layer, name)
        if key not in self._qw:
            lw = self.w.layers[layer]
            sch = self.sch
            wc = self.cfg.wclip
            point = {"qk": "x_qkv", "v": "x_qkv", "w1": "x_ffn1", "w2": "x_ffn2"}.get(name)
            order = self.order(layer, point) if point else None

            H = self.scales.get(f"{layer}.{point}/hessian") if point else None
            if H is not None and order is not None:
                H = H[np.ix_(order, order)]

            def cols(w):
                return w if order is None else np.ascontiguousarray(w[:, order])

            if WEIGHT_CLASS[name] in self.cfg.mode8:  # int8 mode: INT8 per-channel weights
                def quant(w, sch, wc, H=None):
                    return quantize_weight8(w, wc, H)
            else:
                quant = quantize_weight
            if name == "qk":
                qw = stack_weights(quant(cols(lw.wq), sch, wc, H), quant(cols(lw.wk), sch, wc, H))
            elif name == "wo":
                qw = quant(wo_padded(lw.wo) if sch.vsq else lw.wo, sch, wc)
            else:
                qw = quant(cols({"v": lw.wv, "w1": lw.w1, "w2": lw.w2}[name]), sch, wc, H)
            self._qw[key] = qw
        return self._qw[key]

    def act_in(self, x, layer, point, heads=False):
        """B operand words: the producer's words if it was a GEMM, else the host quantizer."""
        if isinstance(x, QAct):
            return x
        sch = self.sch
        order = self.order(layer, point)
        if order is not None:
            x = x[:, order]
        if HOST_POINT_CLASS.get(point) in self.cfg.mode8:  # int8 mode: INT8, static per-tensor scale
            return host_quant(x, "tensor", 8, self.scale(layer, point), vo=vec_len("int8", VEC))
        return host_quant(x, sch.acts, sch.bits, self.scale(layer, point), heads=heads and sch.vsq)

    def host_out_mode(self):
        """out_mode of a GEMM whose output the host reads (wo, ffn1, ffn2)."""
        sch = self.sch
        if self.cfg.host_bits == 0:
            return "acc"
        if sch.vsq:
            return "int8_vsq" if self.cfg.host_bits == 8 else "int4_vsq"
        return "int8" if self.cfg.host_bits == 8 else "int4"

    def linear(self, qw, x, bias, out_mode, out_scale, mode=None):
        """One linear GEMM through ``models.run_case`` (datapath ``mode``: the scheme's unless given).

        Returns the output as a QAct (token-major), or for out_mode 'acc' the
        float value the host computes from the raw accumulator.
        """
        mode = mode or self.sch.mode
        out_scale = np.broadcast_to(np.asarray(out_scale, dtype=np.float64), qw.scale.shape)
        F = qw.scale * float(x.scale) * (256.0 if mode == "int4_vsq" else 1.0) / out_scale
        if self.cfg.float_scale_product and mode == "int4_vsq":
            acc = self._float_sp_acc(qw, x)
            return self._finish(acc, F, bias, out_mode, out_scale)
        g, sh = fold(F)
        b = np.zeros(len(F), dtype=np.int16) if bias is None else int_bias(bias, out_scale, self.stats)
        case = _empty_case(mode, out_mode, qw.q, qw.s, x.q.T,
                           x.s.T if x.s is not None else np.zeros((x.q.shape[1] // vec_len(mode, VEC), x.q.shape[0]), np.uint8),
                           g, b, sh)
        self.stats["gemms"] += 1
        out = run_case_chunked(case)
        if out_mode == "acc":
            y = out["acc"].T * (F * out_scale).astype(np.float32)
            return y + bias.astype(np.float32) if bias is not None else y
        return self._qact(out, out_mode, out_scale)

    def _float_sp_acc(self, qw, x):
        V = VEC
        a = qw.q.astype(np.float64)
        b = x.q.T.astype(np.float64)
        acc = np.zeros((a.shape[0], b.shape[1]))
        for k in range(a.shape[1] // V):
            d = a[:, k * V:(k + 1) * V] @ b[k * V:(k + 1) * V]
            acc += d * (qw.s[:, k, None].astype(np.float64) * x.s[None, :, k].astype(np.float64) / 256.0)
        return acc

    def _finish(self, acc, F, bias, out_mode, out_scale):
        """Ablation output stage for a float accumulator: exact PPU scale, then the PPU's quantizer."""
        if out_mode == "acc":
            y = (acc * (F * out_scale)[:, None]).T.astype(np.float32)
            return y + bias.astype(np.float32) if bias is not None else y
        y = acc * F[:, None]
        if bias is not None:
            y = y + (np.asarray(bias, dtype=np.float64) / out_scale)[:, None]
        y = np.rint(y).astype(np.int64)
        y = sat(y, 18)
        if out_mode in ("int4_vsq", "int8_vsq"):
            vo, qmax = models.out_group(out_mode, VEC)
            q, s = models.quantize_vectors(y, vo, qmax)
            out = {"out_q": q, "out_s": s}
        else:
            qmax = 7 if out_mode == "int4" else 127
            out = {"out_q": clamp(y, -qmax, qmax).astype(np.int8)}
        return self._qact(out, out_mode, out_scale)

    def _qact(self, out, out_mode, out_scale):
        scale = np.asarray(out_scale, dtype=np.float64)
        if np.all(scale == scale.flat[0]):
            scale = np.float64(scale.flat[0])
        if out_mode in ("int4_vsq", "int8_vsq"):
            vo, _ = models.out_group(out_mode, VEC)
            return QAct(np.ascontiguousarray(out["out_q"].T), np.ascontiguousarray(out["out_s"].T), scale, vo)
        return QAct(np.ascontiguousarray(out["out_q"].T), None, scale)

    # -- attention ----------------------------------------------------------
    def head_operands(self, batch, x):
        """Q or K words [N, 384] -> per-head operands [B, H, L, Vk] and scales [B, H, L] (zero padding)."""
        B, L = batch.ids.shape
        q = batch.scatter(x.q)  # [B, L, 384]
        if self.sch.mode == "int8":  # V = 32 = d_head: no padding
            return q.reshape(B, L, HEADS, D_HEAD).transpose(0, 2, 1, 3), None
        ops = np.zeros((B, HEADS, L, VEC), dtype=np.int8)
        qh = q.reshape(B, L, HEADS, D_HEAD).transpose(0, 2, 1, 3)
        for h in range(HEADS):  # head h sits in half h%2 of word h//2; the other half is zero
            half = (h % 2) * D_HEAD
            ops[:, h, :, half:half + D_HEAD] = qh[:, h]
        s = None
        if x.s is not None:
            sw = batch.scatter(x.s)  # [B, L, 6]
            s = np.repeat(sw, 2, axis=2).transpose(0, 2, 1)  # [B, H, L]
        return ops, s

    def scores_probs(self, batch, Q, K):
        """Probabilities uint8 [B, H, Lk, Lq] (Q1.7) of the quantized QKᵀ with out_mode softmax."""
        B, L = batch.ids.shape
        mode = self.sch.mode
        kq, ks = self.head_operands(batch, K)
        qq, qs = self.head_operands(batch, Q)
        G = B * HEADS
        a_q = kq.reshape(G, L, -1)
        b_q = qq.reshape(G, L, -1).transpose(0, 2, 1)
        a_s = ks.reshape(G, L, 1) if ks is not None else None
        b_s = qs.reshape(G, 1, L) if qs is not None else None
        acc = batched_acc(mode, a_q, a_s, b_q, b_s, self.cfg.float_scale_product)  # [G, Lk, Lq]
        real = float(Q.scale) * float(K.scale) * (256.0 if mode == "int4_vsq" else 1.0)  # acc unit -> q·k
        F = 4.0 * LOG2E / math.sqrt(D_HEAD) * real  # -> Q5.2 base-2 units
        g, sh = fold(np.array([F]))
        mask_bias = np.where(batch.mask, 0, MASK_BIAS).astype(np.int16)  # [B, Lk]
        # Real queries only: columns (token, head) with the keys along rows.
        qmask = batch.mask
        accq = acc.reshape(B, HEADS, L, L).transpose(0, 3, 1, 2)[qmask]  # [Nt, H, Lk]
        seg = np.repeat(np.arange(B), batch.lengths)
        if self.cfg.softmax == "hw":
            if self.cfg.float_scale_product:
                y = np.rint(accq * F).astype(np.int64) + mask_bias[seg][:, None, :]
            else:
                y = rhu(accq.astype(np.int64) * np.int64(g[0]), sh) + mask_bias[seg][:, None, :]
            x = clamp(sat(y, 18), -127, 127)
            cols = x.reshape(-1, L).T  # [Lk, Nt·H]
            p = models.softermax(cols, LANES).T.reshape(accq.shape)
            leaks = p[np.broadcast_to(~batch.mask[seg][:, None, :], p.shape)]
            self.stats["mask_leaks"] += int(np.count_nonzero(leaks))
        else:
            s = accq * (real / math.sqrt(D_HEAD))
            s = np.where(batch.mask[seg][:, None, :], s, -np.inf)
            s -= s.max(axis=-1, keepdims=True)
            e = np.exp(s)
            p = np.clip(np.rint(e / e.sum(axis=-1, keepdims=True) * 128), 0, 127).astype(np.uint8)
        probs = np.zeros((B, L, HEADS, L), dtype=np.uint8)
        probs[qmask] = p
        probs = probs.transpose(0, 2, 3, 1)  # [B, H, Lk, Lq]
        self.stats["batched_gemms"] += 1
        if self.check is not None and self.cfg.bit_exact:
            i = int(self.check.rng.integers(G))
            b, h = divmod(i, HEADS)
            case = _empty_case(mode, "softmax", a_q[i], a_s[i] if a_s is not None else np.zeros((L, 1)),
                               b_q[i], b_s[i] if b_s is not None else np.zeros((1, L)), [g[0]] * L,
                               mask_bias[b], sh)
            if self.cfg.softmax == "hw":
                cols = np.flatnonzero(batch.mask[b])
                self.check.compare(case, {"acc": acc[i][:, cols].astype(np.int32), "probs": probs[b, h][:, cols]}, cols)
            else:
                self.check.compare(case, {"acc": acc[i].astype(np.int32)})
        return probs

    def context(self, layer, batch, probs, V):
        """Quantized P·V (int8 mode) of every head -> context words (QAct)."""
        lw = self.w.layers[layer]
        sch = self.sch
        B, L = batch.ids.shape
        G = B * HEADS
        v = batch.scatter(V.q).reshape(B, L, HEADS, D_HEAD).transpose(0, 2, 3, 1)  # [B, H, 32, Lk]
        out_mode = sch.link_out
        rows = VEC if out_mode == "int4_vsq" else D_HEAD
        a_q = np.zeros((B, HEADS, rows, L), dtype=np.int8)
        a_q[:, :, :D_HEAD] = v
        a_q = a_q.reshape(G, rows, L)
        b_q = probs.reshape(G, L, L).astype(np.int8)
        acc = batched_acc("int8", a_q, None, b_q, None)  # [G, rows, Lq]
        ctx_scale = self.scale(layer, "ctx")
        vscale = np.broadcast_to(np.asarray(V.scale, dtype=np.float64), (HIDDEN,)).reshape(HEADS, D_HEAD)
        F = np.zeros((HEADS, rows))
        F[:, :D_HEAD] = vscale / 128.0 / ctx_scale
        g, sh = fold(F)
        bias = np.zeros((HEADS, rows), dtype=np.int16)
        bias[:, :D_HEAD] = int_bias(lw.bv, ctx_scale, self.stats).reshape(HEADS, D_HEAD)
        # Real queries only.
        accq = acc.reshape(B, HEADS, rows, L).transpose(0, 3, 1, 2)[batch.mask]  # [Nt, H, rows]
        Nt = accq.shape[0]
        cols = accq.transpose(1, 2, 0).reshape(HEADS * rows, Nt)  # every head's rows, one PPU row each
        y = models.ppu(cols, g.reshape(-1), bias.reshape(-1), sh, False).reshape(HEADS, rows, Nt)
        if out_mode == "int4_vsq":
            q, s = models.quantize_vectors(y.transpose(1, 0, 2).reshape(VEC, HEADS * Nt), VEC, 7)
            q = q.reshape(VEC, HEADS, Nt).transpose(2, 1, 0).reshape(Nt, HEADS * VEC)
            s = s.reshape(HEADS, Nt).T
            qa = QAct(np.ascontiguousarray(q), np.ascontiguousarray(s), np.float64(ctx_scale), VEC, heads=True)
        else:
            qmax = 7 if out_mode == "int4" else 127
            q = clamp(y, -qmax, qmax).astype(np.int8).transpose(2, 0, 1).reshape(Nt, HIDDEN)
            qa = QAct(np.ascontiguousarray(q), None, np.float64(ctx_scale))
        self.stats["batched_gemms"] += 1
        if self.check is not None and self.cfg.bit_exact:
            i = int(self.check.rng.integers(G))
            b, h = divmod(i, HEADS)
            case = _empty_case("int8", out_mode, a_q[i], np.zeros((rows, L // 32)), b_q[i], np.zeros((L // 32, L)),
                               g[h], bias[h], sh)
            tok = np.flatnonzero(batch.mask[b])
            start = int(batch.lengths[:b].sum())
            exp = {"acc": acc[i][:, tok].astype(np.int32)}
            if out_mode == "int4_vsq":
                exp["out_q"] = qa.q[start:start + len(tok), h * VEC:(h + 1) * VEC].T
                exp["out_s"] = qa.s[start:start + len(tok), h][None, :]
            else:
                exp["out_q"] = qa.q[start:start + len(tok), h * D_HEAD:(h + 1) * D_HEAD].T
            self.check.compare(case, exp, tok)
        return qa

    def attention(self, layer, batch, Q, K, V):
        cfg = self.cfg
        lw = self.w.layers[layer]
        if cfg.q("scores"):
            Qw = self.act_in(Q, layer, "q")
            Kw = self.act_in(K, layer, "k")
            probs = self.scores_probs(batch, Qw, Kw)  # [B, H, Lk, Lq] uint8
            pf = None
        else:
            qf, kf = as_float(Q), as_float(K)
            B, L = batch.ids.shape
            qh = batch.scatter(qf).reshape(B, L, HEADS, D_HEAD).transpose(0, 2, 1, 3)
            kh = batch.scatter(kf).reshape(B, L, HEADS, D_HEAD).transpose(0, 2, 3, 1)
            s = np.matmul(qh, kh) * np.float32(1 / math.sqrt(D_HEAD))
            s = np.where(batch.mask[:, None, None, :], s, np.float32(-np.inf))
            s -= s.max(axis=-1, keepdims=True)
            pf = np.exp(s)
            pf /= pf.sum(axis=-1, keepdims=True)  # [B, H, Lq, Lk]
            probs = np.clip(np.rint(pf * 128), 0, 127).astype(np.uint8).transpose(0, 1, 3, 2)
        if cfg.q("context"):
            if isinstance(V, QAct):
                Vw = V
            else:  # host quantizer, int8, static per-channel (or per-tensor) scale
                sc = self.scale(layer, "v")
                Vw = QAct(np.clip(np.rint(V / sc), -127, 127).astype(np.int8), None, sc)
            return self.context(layer, batch, probs, Vw)
        vf = as_float(V)
        B, L = batch.ids.shape
        vh = batch.scatter(vf).reshape(B, L, HEADS, D_HEAD).transpose(0, 2, 1, 3)
        p = pf if pf is not None else probs.transpose(0, 1, 3, 2).astype(np.float32) / 128
        ctx = np.matmul(p, vh).transpose(0, 2, 1, 3).reshape(B, L, HIDDEN)
        return batch.gather(ctx) + lw.bv

    # -- one layer, one batch ----------------------------------------------
    def host_linear(self, l, name, x, point, w, b, out_point):
        """A GEMM whose output the host reads (wo, ffn1, ffn2), as float; FP32 if its class is not quantized."""
        cls = WEIGHT_CLASS[name]
        if self.cfg.q(cls):
            xw = self.act_in(x, l, point, heads=name == "wo")
            y = as_float(self.linear(self.qweight(l, name), xw, b, self.host_out_mode(), self.scale(l, out_point),
                                     self.cfg.mode(cls)))
        else:
            y = as_float(x) @ w.T + b
        self.tap(l, out_point, y)
        return y

    def layer(self, l, batch, h):
        cfg, sch = self.cfg, self.sch
        lw = self.w.layers[l]
        self.tap(l, "x_qkv", h)
        if cfg.q("qkv"):
            x = self.act_in(h, l, "x_qkv")
            sq, sk = self.scale(l, "q"), self.scale(l, "k")
            qk = self.linear(self.qweight(l, "qk"), x, np.concatenate([lw.bq, np.zeros(HIDDEN)]),
                             sch.link_out, np.concatenate([np.full(HIDDEN, sq), np.full(HIDDEN, sk)]), cfg.mode("qkv"))
            nv = qk.q.shape[1] // 2 // qk.vo if qk.s is not None else None
            Q = QAct(qk.q[:, :HIDDEN], qk.s[:, :nv] if nv else None, np.float64(sq), qk.vo)
            K = QAct(qk.q[:, HIDDEN:], qk.s[:, nv:] if nv else None, np.float64(sk), qk.vo)
            V = self.linear(self.qweight(l, "v"), x, None, "int8", self.scale(l, "v"), cfg.mode("qkv"))
        else:
            Q = h @ lw.wq.T + lw.bq
            K = h @ lw.wk.T  # K's bias is softmax-invariant
            V = h @ lw.wv.T  # V's bias is added after P·V
        self.tap(l, "q", Q)
        self.tap(l, "k", K)
        self.tap(l, "v", V)
        ctx = self.attention(l, batch, Q, K, V)
        self.tap(l, "ctx", ctx)
        a = self.host_linear(l, "wo", ctx, "ctx", lw.wo, lw.bo, "wo_out")
        h1 = minilm.layer_norm(h + a, lw.ln1_g, lw.ln1_b)
        self.tap(l, "x_ffn1", h1)
        f = self.host_linear(l, "w1", h1, "x_ffn1", lw.w1, lw.b1, "ffn1_out")
        gl = minilm.gelu(f)
        self.tap(l, "x_ffn2", gl)
        o = self.host_linear(l, "w2", gl, "x_ffn2", lw.w2, lw.b2, "ffn2_out")
        return minilm.layer_norm(h1 + o, lw.ln2_g, lw.ln2_b)

    def forward(self, batch):
        """Mean-pooled embeddings [B, 384] of one batch."""
        h = minilm.embed(self.w, batch)
        for l in range(minilm.LAYERS):
            h = self.layer(l, batch, h)
        return minilm.mean_pool(batch, h)

    def encode_tokens(self, token_lists, max_tokens=8192):
        return minilm.encode_tokens(token_lists, forward=self.forward, max_tokens=max_tokens)


def layer_cost(mode8=(), L=32):
    """Per token of one layer at padded sequence length L: ({class: MACs}, {class: lane steps}).

    MACs are the model's (no padding: qkv 3·384², scores and context 12·32·L,
    wo 384², ffn1/ffn2 384·1536). Steps are the engine's ``cyc_mac`` per token
    ((M/LANES)·(K/V) per B column, docs/rtl-engine.md) with this module's
    mapping (head padding in scores/context/wo) and V = VEC/2 in the int8 mode:
    the time of the lanes, all LANES of them busy in every step.
    """
    def steps(M, K, mode):
        return M / LANES * (K / vec_len(mode, VEC))

    mode = {c: ("int8" if c in mode8 else "int4_vsq") for c in CLASSES}
    macs = {"qkv": 3 * HIDDEN * HIDDEN, "scores": HEADS * D_HEAD * L, "context": HEADS * D_HEAD * L,
            "wo": HIDDEN * HIDDEN, "ffn1": HIDDEN * minilm.FFN, "ffn2": minilm.FFN * HIDDEN}
    st = {"qkv": steps(2 * HIDDEN, HIDDEN, mode["qkv"]) + steps(HIDDEN, HIDDEN, mode["qkv"]),
          "scores": HEADS * steps(L, VEC, "int4_vsq"),  # K_h [L, 64] · Q_hᵀ, one query per column
          "context": HEADS * steps(VEC, L, "int8"),  # V_hᵀ [64 rows, L] · P (int8 mode)
          "wo": steps(HIDDEN, HEADS * VEC, "int4_vsq"),
          "ffn1": steps(minilm.FFN, HIDDEN, mode["ffn1"]), "ffn2": steps(HIDDEN, minilm.FFN, mode["ffn2"])}
    return macs, st


def mode8_cost(mode8, lengths):
    """(share of the MACs that run in the int8 mode, lane time relative to all-int4_vsq) of one layer over
    sequences of these token counts (``layer_cost``; attention GEMMs at the padded length, every column)."""
    LIN = ("qkv", "wo", "ffn1", "ffn2")
    macs8 = macs = 0.0
    steps = {(): 0.0, tuple(mode8): 0.0}
    for n in lengths:
        L = minilm.padded_length(n)
        m, _ = layer_cost(mode8, n)
        macs += n * sum(m.values())
        macs8 += n * sum(m[c] for c in mode8)
        for k in steps:
            st = layer_cost(k, L)[1]
            steps[k] += n * sum(st[c] for c in LIN) + L * (st["scores"] + st["context"])
    return macs8 / macs, steps[tuple(mode8)] / steps[()]
