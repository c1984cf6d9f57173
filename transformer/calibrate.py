"""Static calibration of every coarse scale of the accelerator pipeline.

Method (documented in transformer/README.md and the report):

1. Calibration text: ``data.calibration_texts()`` — 24 whole news documents
   and 192 sentences of gensim's ``lee_background.cor``, the sentences of the
   10 IMDB reviews of ``alldata-id-10.txt`` and 48 single words; none of it is
   in an evaluation set (checked there).
2. The FP32 model runs on it (``Pipeline`` with no quantized class) and every
   quantization point of every layer is tapped: the float tensor that the
   hardware turns into an operand or output word there.
3. Per point the statistics are: the maximum |x| (per tensor and per
   channel) and the maxima of |x| over every aligned vector of 32 and of 64
   elements along the channel axis (one token's vector).
4. A configuration's static scales follow from these (``scales_for``), with
   ``stat`` = the maximum (default) or a percentile of the vector maxima:

   * VS-Quant operands and PPU outputs (int4_vsq / int8_vsq): the coarse scale
     γ = stat(vector max) / (Qmax · 255), i.e. the largest calibration vector
     just reaches the per-vector scale 255; the ``ctx`` words hold one head
     (32 values), the others 64 values; the host-bound int8_vsq outputs use
     32-element vectors (Vo = VEC/2).
   * per-tensor INT4/INT8 operands and GEMM-to-GEMM outputs: scale = max|x| / Qmax;
   * INT8 outputs read by the host (wo, ffn1, ffn2) in the baselines: per
     channel max|x| / 127 (the PPU's g is per row, so this costs nothing);
   * V (the A operand of the int8 P·V): per channel max|x| / 127 (per tensor
     for the per-tensor INT4 baseline).
   * host-quantized operands of a GEMM class that runs in the int8 mode
     (``Config.mode8``): per-tensor max|x| / 127.

   These fold into each GEMM's g/sh/bias (``cases.fold``).
"""

import json
import os

import numpy as np

import models

from . import data, minilm
from .config import CLASSES, HOST_POINT_CLASS, VEC, Config
from .minilm import D_HEAD
from .pipeline import Pipeline

POINTS = ("x_qkv", "q", "k", "v", "ctx", "wo_out", "x_ffn1", "ffn1_out", "x_ffn2", "ffn2_out")
PERCENTILES = (99.0, 99.9, 99.99, 100.0)
HOST_POINTS = ("x_qkv", "x_ffn1", "x_ffn2")  # float tensors the host quantizer turns into operand words
HOST_BOUND = ("wo_out", "ffn1_out", "ffn2_out")  # PPU outputs the host reads
# MSE search: gamma = factor · gamma_max, 30 log-spaced factors from 1 down to 0.3.
MSE_FACTORS = tuple(float(f) for f in 0.3 ** (np.arange(30) / 29.0))
PPU_STRIDE = 2  # the PPU-quantizer search uses every 2nd calibration token (the host one uses all)
SAT18 = (1 << 17) - 1


class Collector:
    """Tap callback accumulating per-point maxima."""

    def __init__(self):
        self.maxabs = {}
        self.chan = {}
        self.vec = {}

    def __call__(self, layer, point, x):
        key = f"{layer}.{point}"
        x = np.abs(np.asarray(x, dtype=np.float32))
        self.maxabs[key] = max(self.maxabs.get(key, 0.0), float(x.max()))
        cm = x.max(axis=0)
        self.chan[key] = np.maximum(self.chan[key], cm) if key in self.chan else cm
        for vo in (32, 64):
            vm = x.reshape(x.shape[0], -1, vo).max(axis=-1).ravel()
            self.vec.setdefault((key, vo), []).append(vm)

    def result(self):
        out = {}
        for key in self.maxabs:
            rec = {"maxabs": self.maxabs[key], "chanmax": self.chan[key].tolist()}
            for vo in (32, 64):
                vm = np.concatenate(self.vec[(key, vo)])
                rec[f"vec{vo}"] = {f"p{p:g}": float(np.percentile(vm, p)) for p in PERCENTILES}
                rec[f"vec{vo}"]["max"] = float(vm.max())
            out[key] = rec
        return out


class HessianCollector:
    """Tap callback accumulating H = Σ x·xᵀ (float64) of every host-quantized operand (GEMM input)."""

    def __init__(self, points=HOST_POINTS):
        self.points = points
        self.h = {}

    def __call__(self, layer, point, x):
        if point in self.points:
            x = np.asarray(x, dtype=np.float64)
            key = f"{layer}.{point}"
            self.h[key] = self.h.get(key, 0.0) + x.T @ x


def vsq_format(point, host_bits=8):
    """How a VS-Quant configuration quantizes a point: (quantizer, Vo, Qmax), or None (V: int8 per channel).

    ``host``: the host's float-side quantizer (``hostquant.vsquant_static``); ``ppu``: the PPU's
    per-vector output quantization (``models.quantize_vectors``) of y = x / gamma.
    """
    words4 = models.out_group("int4_vsq", VEC)  # the operand words' (V = VEC, Qmax 7) and the int4_vsq output's
    if point in HOST_POINTS:
        return ("host", *words4)
    if point in ("q", "k"):
        return ("ppu", *words4)
    if point == "ctx":  # one head (D_HEAD values, the rest zero rows) per int4_vsq word
        return "ppu", D_HEAD, words4[1]
    if point in HOST_BOUND:
        return ("ppu", *models.out_group("int8_vsq" if host_bits in (0, 8) else "int4_vsq", VEC))
    return None


def gamma_max(rec, vo, qmax, calib="max"):
    """The max-based coarse scale: the largest calibration vector reaches the per-vector scale 255."""
    return _stat(rec, vo, calib) / (qmax * 255)


def host_sq_error(x, gammas, vo, qmax):
    """Sum of squared errors of ``hostquant.vsquant_static`` on x [N, C] at every gamma.

    q does not depend on gamma (it is quantized with the unquantized per-vector
    scale, numerics.md §7), so per vector x̂ = c·q with c = sq·gamma and
    ||x - c·q||² = Σx² - 2c·Σxq + c²·Σq².
    """
    xv = np.asarray(x, dtype=np.float64).reshape(-1, vo)
    s_f = np.abs(xv).max(axis=-1) / qmax
    q = np.divide(xv, s_f[:, None], out=np.zeros_like(xv), where=s_f[:, None] != 0)
    np.clip(np.rint(q, out=q), -qmax, qmax, out=q)
    sxx, sxq, sqq = (xv * xv).sum(-1), (xv * q).sum(-1), (q * q).sum(-1)
    err = []
    for g in gammas:
        c = np.clip(np.rint(s_f / g), 0, 255) * g
        err.append(float((sxx - 2 * c * sxq + c * c * sqq).sum()))
    return np.array(err)


def ppu_error(x, gammas, vo, qmax):
    """Sum of squared errors of the PPU's per-vector output quantization (``models.quantize_vectors``,
    numerics.md §5) of x [N, C] when the PPU value is y = sat18(rhu(x / gamma)), at every gamma."""
    x = np.asarray(x, dtype=np.float64)
    err = []
    for g in gammas:
        y = np.clip(np.floor(x / g + 0.5), -SAT18 - 1, SAT18).astype(np.int64).T  # [C, N]: vectors along rows
        q, s = models.quantize_vectors(y, vo, qmax)
        xh = (q.astype(np.float64).reshape(-1, vo, y.shape[1]) * s[:, None, :]).reshape(y.shape).T * g
        err.append(float(((x - xh) ** 2).sum()))
    return np.array(err)


class MseCollector:
    """Second calibration pass: quantization error of every VS-Quant point over the gamma grid."""

    def __init__(self, stats, host_bits=(8, 4)):
        self.stats = stats
        self.fmts = {p: sorted({vsq_format(p, hb) for hb in host_bits} - {None}) for p in POINTS}
        self.err = {}
        self.energy = {}

    def __call__(self, layer, point, x):
        key = f"{layer}.{point}"
        x = np.asarray(x, dtype=np.float64)
        for kind, vo, qmax in self.fmts[point]:
            g0 = gamma_max(self.stats[key], vo, qmax)
            gammas = [g0 * f for f in MSE_FACTORS]
            xs = x if kind == "host" else x[::PPU_STRIDE]
            e = host_sq_error(xs, gammas, vo, qmax) if kind == "host" else ppu_error(xs, gammas, vo, qmax)
            k = f"{key}/{vo}/{qmax}"
            self.err[k] = self.err.get(k, 0.0) + e
            self.energy[k] = self.energy.get(k, 0.0) + float((xs * xs).sum())

    def result(self):
        return {k: {"factors": list(MSE_FACTORS), "sse": self.err[k].tolist(), "energy": self.energy[k]}
                for k in self.err}


def collect(texts=None, mse=False):
    """Calibration statistics (dict) from an FP32 run over the calibration text, with the input
    Hessians of the host-quantized operands under ``_hessian`` (numpy arrays, for ``wclip='gptq'``);
    with ``mse`` a second FP32 pass adds the quantization error of every VS-Quant point over the
    gamma grid (``_mse``, for ``calib='mse'``; ≈ 3 CPU-minutes)."""
    texts = texts if texts is not None else data.calibration_texts()
    col = Collector()
    hcol = HessianCollector()
    tokens = minilm.tokenize(texts)

    def taps(layer, point, x):
        col(layer, point, x)
        hcol(layer, point, x)

    pipe = Pipeline(Config("calibration", quantized=()), taps=taps, selfcheck=False)
    pipe.encode_tokens(tokens)
    stats = col.result()
    stats["_hessian"] = hcol.h
    if mse:
        mcol = MseCollector(stats)
        Pipeline(Config("calibration", quantized=()), taps=mcol, selfcheck=False).encode_tokens(tokens)
        stats["_mse"] = mcol.result()
    stats["_meta"] = {"texts": len(texts), "tokens": int(sum(len(t) for t in tokens))}
    return stats


def hessian_path(path):
    return os.path.splitext(path)[0] + "-hessian.npz"


def load(path):
    """Statistics saved by ``save`` (the Hessians from the .npz next to the JSON, if it is there)."""
    with open(path) as f:
        stats = json.load(f)
    if os.path.isfile(hessian_path(path)):
        with np.load(hessian_path(path)) as z:
            stats["_hessian"] = {k: z[k] for k in z.files}
    return stats


def save(path, stats):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        json.dump({k: v for k, v in stats.items() if k != "_hessian"}, f)
    if "_hessian" in stats:
        np.savez(hessian_path(path), **stats["_hessian"])


def load_or_collect(path, mse=False):
    if os.path.isfile(path) and os.path.isfile(hessian_path(path)):
        stats = load(path)
        if "_mse" in stats or not mse:
            return stats
    stats = collect(mse=mse)
    save(path, stats)
    return stats


def _stat(rec, vo, calib):
    v = rec[f"vec{vo}"]
    return v["max"] if calib == "max" else v[calib]


def mse_factor(stats, key, vo, qmax):
    """The grid factor (gamma / gamma_max) with the smallest calibration quantization error."""
    if "_mse" not in stats:
        raise KeyError("calibration statistics without the MSE search (calibrate.collect(mse=True))")
    rec = stats["_mse"][f"{key}/{vo}/{qmax}"]
    return rec["factors"][int(np.argmin(rec["sse"]))]


def scales_for(cfg, stats):
    """Static scale of every calibration point for a configuration: {"layer.point": scale}."""
    sch = cfg.sch
    out = {}
    for l in range(minilm.LAYERS):
        for point in POINTS:
            rec = stats[f"{l}.{point}"]
            key = f"{l}.{point}"
            host_bound = point in ("wo_out", "ffn1_out", "ffn2_out")
            if point == "v":
                qmax = 127
                out[key] = (np.asarray(rec["chanmax"]) / qmax if sch.v_scale == "channel" else rec["maxabs"] / qmax)
                out[key] = np.maximum(out[key], 1e-12)
            elif sch.vsq and HOST_POINT_CLASS.get(point) in cfg.mode8:  # int8-mode B operand: INT8 per tensor
                m = rec["maxabs"] if cfg.calib in ("max", "mse") else _stat(rec, 32, cfg.calib)
                out[key] = m / 127
            elif sch.vsq:
                _, vo, qmax = vsq_format(point, cfg.host_bits)
                if cfg.calib == "mse":
                    out[key] = gamma_max(rec, vo, qmax) * mse_factor(stats, key, vo, qmax)
                else:
                    out[key] = gamma_max(rec, vo, qmax, cfg.calib)
            elif host_bound:  # int8 (or int4) output with a per-channel scale: g is per row, so it is free
                qmax = 127 if cfg.host_bits in (0, 8) else 7
                out[key] = np.maximum(np.asarray(rec["chanmax"]), 1e-12) / qmax
            else:
                qmax = 127 if sch.bits == 8 else 7
                m = rec["maxabs"] if cfg.calib == "max" else _stat(rec, 32, cfg.calib)
                out[key] = m / qmax
        if cfg.wclip == "gptq" and sch.vsq:
            if "_hessian" not in stats:
                raise KeyError("calibration statistics without the input Hessians (wclip='gptq')")
            for point in HOST_POINTS:
                out[f"{l}.{point}/hessian"] = stats["_hessian"][f"{l}.{point}"]
        if cfg.chan_order == "sorted" and sch.vsq:
            for point in HOST_POINTS:  # channels by descending calibration max: similar channels share a vector
                cm = np.asarray(stats[f"{l}.{point}"]["chanmax"])
                out[f"{l}.{point}/order"] = np.argsort(-cm, kind="stable")
    return out


__all__ = ["CLASSES", "POINTS", "collect", "load_or_collect", "scales_for"]
