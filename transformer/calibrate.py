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

   These fold into each GEMM's g/sh/bias (``pipeline.fold``).
"""

import json
import os

import numpy as np

from . import data, minilm
from .pipeline import CLASSES, Config, Pipeline

POINTS = ("x_qkv", "q", "k", "v", "ctx", "wo_out", "x_ffn1", "ffn1_out", "x_ffn2", "ffn2_out")
PERCENTILES = (99.0, 99.9, 99.99, 100.0)


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


def collect(texts=None):
    """Calibration statistics (dict) from an FP32 run over the calibration text."""
    texts = texts if texts is not None else data.calibration_texts()
    col = Collector()
    pipe = Pipeline(Config("calibration", quantized=()), taps=col, selfcheck=False)
    pipe.encode_tokens(minilm.tokenize(texts))
    stats = col.result()
    stats["_meta"] = {"texts": len(texts), "tokens": int(sum(len(t) for t in minilm.tokenize(texts)))}
    return stats


def load_or_collect(path):
    if os.path.isfile(path):
        with open(path) as f:
            return json.load(f)
    stats = collect()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(stats, f)
    return stats


def _stat(rec, vo, calib):
    v = rec[f"vec{vo}"]
    return v["max"] if calib == "max" else v[calib]


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
            elif sch.vsq:
                if host_bound:
                    vo, qmax = (32, 127) if cfg.host_bits in (0, 8) else (64, 7)
                else:
                    vo, qmax = (32 if point == "ctx" else 64), 7
                out[key] = _stat(rec, vo, cfg.calib) / (qmax * 255)
            elif host_bound:  # int8 (or int4) output with a per-channel scale: g is per row, so it is free
                qmax = 127 if cfg.host_bits in (0, 8) else 7
                out[key] = np.maximum(np.asarray(rec["chanmax"]), 1e-12) / qmax
            else:
                qmax = 127 if sch.bits == 8 else 7
                m = rec["maxabs"] if cfg.calib == "max" else _stat(rec, 32, cfg.calib)
                out[key] = m / qmax
    return out


__all__ = ["CLASSES", "POINTS", "collect", "load_or_collect", "scales_for"]
