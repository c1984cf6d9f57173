"""Real-data case files for the RTL: one attention head and one FFN GEMM of MiniLM layer 0.

``python -m transformer.export_cases [--out regressions/data]`` runs layer 0
of the ``vsq4`` pipeline (paper configuration: VEC = 64, LANES = 16) on one
sentence written for this project (``SENTENCE``; the weights are the
Apache-2.0 all-MiniLM-L6-v2) and writes the exact cases the pipeline ran:

* ``minilm_l0_h{HEAD}_scores.npz`` — QKᵀ of head HEAD, mode int4_vsq,
  out_mode softmax: A = the K words of every key (the other head's half of
  each word zeroed: the reduction d = 32 padded to V = 64), B = the Q words,
  g/sh = the calibrated scales with log2(e)/√32 and Q5.2 folded in, bias =
  −32768 on the padded keys;
* ``minilm_l0_h{HEAD}_pv.npz`` — P·V of the same head, mode int8, out_mode
  int4_vsq: A = V_hᵀ (32 channels + 32 zero rows), B = the probabilities
  the scores case produces (all columns), g/bias = V's scales and bias;
* ``minilm_l0_ffn2.npz`` — the second FFN GEMM, mode int4_vsq, out_mode
  int8_vsq: A = W2 (384 × 1536), B = the host-quantized GELU output of the
  sentence's tokens (zero columns up to a multiple of 16).

plus ``minilm_cases.json`` describing them. The tokens padded to L = 32
(a multiple of LANES and of the int8 V) are the sequence's padding.

``--qat`` exports the same cases from the QAT words instead (``vsq4_qat``: the
cached ``make qat`` result of the current code, trained weights on the host side).
"""

import argparse
import json
import os
import sys

import numpy as np

import models

from . import calibrate, minilm, qat_train
from .config import PARAMS, Config
from .pipeline import Pipeline

SENTENCE = "The little robot carefully painted a bright yellow sun on the old garden wall before the rain came."
HEAD = 5  # second half of word 2: exercises the masking of the other head's half
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(REPO, "regressions", "data")


def layer0_cases(stats, sentence=SENTENCE, head=HEAD, qat=None):
    """(scores case, P·V case, FFN2 case, info) exactly as the vsq4 pipeline runs them (its ``on_gemm`` hook);
    ``qat`` = (weights, words, info) of ``qat_train.load``: the vsq4_qat pipeline on those words."""
    cfg = qat_train.QAT if qat else Config("vsq4")
    gemms = {}

    def record(layer, name, slices):
        gemms[name] = slices

    scales = calibrate.scales_for(cfg, stats)
    if qat:  # the evaluated vsq4_qat pipeline: exported words, LSQ-learned coarse scales
        from .__main__ import qat_pipeline
        pipe = qat_pipeline(scales, qat, on_gemm=record)
    else:
        pipe = Pipeline(cfg, scales, on_gemm=record)
    toks = minilm.tokenize([sentence])
    batch = minilm.make_batches(toks)[0]
    pipe.layer(0, batch, minilm.embed(pipe.w, batch))
    scores = gemms["scores"].case(head)  # a batch of one sentence: slice index = head
    pv = dict(gemms["context"].case(head))
    probs = models.run_case(scores)["probs"]
    pv["b_q"] = probs.astype(np.int8)  # every column, padded queries included
    ffn2 = dict(gemms["w2"].case(0))
    N = ffn2["b_q"].shape[1]
    Np = -(-N // PARAMS["ACC_DEPTH"]) * PARAMS["ACC_DEPTH"]
    ffn2["b_q"] = np.pad(ffn2["b_q"], ((0, 0), (0, Np - N)))
    ffn2["b_s"] = np.pad(ffn2["b_s"], ((0, 0), (0, Np - N)))
    info = {"sentence": sentence, "tokens": int(batch.lengths[0]), "padded_length": int(batch.L), "head": head,
            "config": f"{cfg.name} (VEC={PARAMS['VEC']}, LANES={PARAMS['LANES']})",
            "model": f"{minilm.PACKAGE}=={minilm.PACKAGE_VERSION} (Apache-2.0)"}
    return scores, pv, ffn2, info


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m transformer.export_cases", description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--calibration", default=None, help="calibration statistics JSON (default: recompute)")
    ap.add_argument("--qat", action="store_true", help="the QAT words of make qat (vsq4_qat) instead of vsq4")
    args = ap.parse_args(argv)
    try:
        minilm.load_weights()
    except minilm.ModelMissing as exc:
        print(f"export_cases: {exc}", file=sys.stderr)
        return 2
    if args.calibration:
        stats = calibrate.load(args.calibration)
    else:
        stats = calibrate.collect()
    qat = None
    if args.qat:
        key, calib_path, _ = qat_train.current_key()
        qat = qat_train.load(key)
        if qat is None:
            print(f"export_cases: no QAT words for the current code ({key}): run make qat", file=sys.stderr)
            return 2
        stats = calibrate.load(calib_path)  # the calibration the words were trained with
    scores, pv, ffn2, info = layer0_cases(stats, qat=qat)
    os.makedirs(args.out, exist_ok=True)
    manifest = {"source": "python -m transformer.export_cases", **info, "cases": {}}
    for name, case in ((f"minilm_l0_h{HEAD}_scores.npz", scores), (f"minilm_l0_h{HEAD}_pv.npz", pv),
                       ("minilm_l0_ffn2.npz", ffn2)):
        path = os.path.join(args.out, name)
        models.save_case(path, case)
        out = models.run_case(models.load_case(path))
        M, K = case["a_q"].shape
        manifest["cases"][name] = {"mode": case["mode"], "out_mode": case["out_mode"], "M": M, "K": K,
                                   "N": int(case["b_q"].shape[1]), "sh": case["sh"],
                                   "out_keys": sorted(out)}
        print(f"export_cases: {path}: {case['mode']} -> {case['out_mode']}, M={M} K={K} N={case['b_q'].shape[1]}")
    with open(os.path.join(args.out, "minilm_cases.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
