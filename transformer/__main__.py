"""``python -m transformer``: MiniLM end to end through the accelerator's numerics.

Steps (each cached under build/accuracy/cache/, keyed by the code it depends on):
1. FP32 embeddings of every evaluation text (numpy forward pass);
2. static calibration (FP32 run over the calibration text);
3. every configuration of ``CONFIGS`` on all evaluation texts, and the
   sensitivity runs of ``SENSITIVITY`` on a fixed subset, in parallel
   worker processes (one BLAS thread each);
4. metrics, build/accuracy/accuracy.json, report.md / report.html and plots.

Options: ``--jobs N`` (default: the number of cores), ``--no-sensitivity``,
``--limit N`` (evaluate only the first N MR sentences etc.: a smoke run).
"""

import os

from .determinism import pin_blas  # noqa: E402

pin_blas()  # before numpy: one BLAS thread per worker process, one OpenBLAS kernel on every x86-64 machine

import argparse  # noqa: E402
import glob  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import multiprocessing  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from . import calibrate, data, evaluate, minilm, qat_train, report  # noqa: E402
from .config import CLASSES, Config  # noqa: E402
from .cost import mode8_cost  # noqa: E402
from .pipeline import Pipeline  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "build", "accuracy")
CACHE = os.path.join(OUT, "cache")

# Main configurations: every evaluation text.
CONFIGS = [
    Config("vsq4", description="VS-Quant INT4 (V=64, per-vector scales, two-level), hardware Softermax"),
    Config("vsq4_float_softmax", softmax="float",
           description="as vsq4, but an exact float softmax of the integer scores (probabilities still Q1.7)"),
    Config("int4_per_tensor", scheme="int4_tensor", description="INT4, per-tensor weights and activations"),
    Config("int4_per_channel_w", scheme="int4_channel",
           description="INT4, per-channel weights, per-tensor activations"),
    Config("int8_per_channel", scheme="int8_channel", description="INT8, per-channel weights, per-tensor activations"),
]
FP32, VSQ4, INT4_PT = "fp32", "vsq4", "int4_per_tensor"

# Sensitivity: VS-Quant with one GEMM class quantized at a time, and variants of vsq4.
SENSITIVITY = [Config(f"vsq4_only_{c}", quantized=(c,), description=f"VS-Quant on {c} only, the rest FP32")
               for c in CLASSES] + [
    Config("vsq4_host_acc", host_bits=0, description="vsq4, outputs read by the host as raw acc (exact)"),
    Config("vsq4_host_int4", host_bits=4, description="vsq4, outputs read by the host as int4_vsq"),
    Config("vsq4_float_scale_product", float_scale_product=True,
           description="ablation, not the hardware: p8 = sA*sB/256 unrounded"),
    Config("vsq4_calib_p99.99", calib="p99.99", description="vsq4 with every static scale at the 99.99th percentile"),
    Config("vsq4_wclip_max", wclip="max",
           description="vsq4 with the previous default weights: models.vsquant max-abs per-vector scales"),
    Config("vsq4_wclip_mse", wclip="mse",
           description="vsq4 with weights by per-vector MSE-optimal clipping (vsquant_mse) instead of GPTQ"),
    Config("vsq4_sorted", chan_order="sorted",
           description="vsq4 with host-quantized operands' channels sorted by calibration max (pure layout)"),
    Config("vsq4_ffn1_int8", mode8=("ffn1",),
           description="vsq4 with FFN1 in the int8 mode (INT8 per-channel GPTQ weights, INT8 per-tensor activations)"),
    Config("vsq4_ffn_int8", mode8=("ffn1", "ffn2"), description="vsq4 with FFN1 and FFN2 in the int8 mode"),
    Config("vsq4_ffn1_qkv_int8", mode8=("qkv", "ffn1"), description="vsq4 with QKV and FFN1 in the int8 mode"),
]
SUBSET_STEP = 8  # sensitivity runs: every 8th MR sentence, all Lee documents, all words


def code_hash():
    h = hashlib.sha256()
    files = sorted(glob.glob(os.path.join(REPO, "models", "*.py")) + glob.glob(os.path.join(REPO, "transformer", "*.py")))
    for f in files:
        if os.path.basename(f) in ("report.py", "__main__.py", "evaluate.py", "probe.py", "export_cases.py",
                                  "qat.py", "qat_train.py", "qat_report.py", "determinism.py"):
            continue
        with open(f, "rb") as fh:
            h.update(fh.read())
    return h.hexdigest()[:16]


def add_mode8_cost(sens, configs, tokens, rows):
    """Mixed-precision runs: the share of the MACs in the int8 mode and the lane time vs all-int4_vsq."""
    lengths = [len(tokens[i]) for i in rows]
    for cfg in configs:
        if cfg.mode8 and cfg.name in sens:
            sens[cfg.name]["mac8_share"], sens[cfg.name]["layer_time"] = mode8_cost(cfg.mode8, lengths)


def cached(path, compute):
    if os.path.isfile(path):
        return np.load(path)
    value = compute()
    tmp = path + ".tmp.npy"
    np.save(tmp, value)
    os.replace(tmp, path)
    return value


def qat_pipeline(scales, qat, on_gemm=None):
    """The vsq4_qat pipeline (evaluation and export_cases): ``qat`` = ``qat_train.load``'s (trained float
    weights, host side; their exported words; info), the calibrated ``scales`` with the LSQ-trained coarse
    scales of ``info`` (if the recipe learned them) in their place."""
    weights, words, info = qat
    scales = dict(scales, **info.get("learned_scales", {}))
    return qat_train.load_words(Pipeline(qat_train.QAT, scales, weights=weights, on_gemm=on_gemm), words)


# Worker state (set before the pool forks).
_W = {}


def _run(args):
    cfg, rows = args
    t0, c0 = time.time(), time.process_time()
    scales = calibrate.scales_for(cfg, _W["stats"])
    if cfg.name == qat_train.QAT.name:
        pipe = qat_pipeline(scales, _W["qat"])
    else:
        pipe = Pipeline(cfg, scales)
    toks = [_W["tokens"][i] for i in rows]
    emb = np.full((len(_W["tokens"]), minilm.HIDDEN), np.nan)
    emb[rows] = pipe.encode_tokens(toks)
    info = dict(pipe.stats, selfchecks=pipe.check.checked, selfcheck_failures=pipe.check.failed,
                wall_s=time.time() - t0, cpu_s=time.process_time() - c0, tokens=int(sum(len(t) for t in toks)))
    return cfg.name, emb, info


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m transformer", description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--no-sensitivity", action="store_true")
    ap.add_argument("--limit", type=int, default=0, help="smoke run: at most N texts per set")
    ap.add_argument("--quick", type=int, default=0, metavar="STEP",
                    help="every configuration on the subset (every STEP-th MR sentence, all Lee documents and words)")
    ap.add_argument("--only", default="", metavar="NAMES",
                    help="comma-separated main configurations to run (default: all; fp32 always)")
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args(argv)
    t_start = time.time()
    try:
        ed = evaluate.load_eval()
        minilm.load_weights()
    except (data.DataMissing, minilm.ModelMissing) as exc:
        print(f"accuracy: {exc}", file=sys.stderr)
        return 2
    os.makedirs(CACHE, exist_ok=True)
    key = code_hash()
    print(f"accuracy: {len(ed.texts)} distinct texts; code {key}", flush=True)

    tokens = minilm.tokenize(ed.texts)
    t = time.time()
    fp32 = cached(os.path.join(CACHE, f"fp32-{key}.npy"), lambda: minilm.encode_tokens(tokens))
    print(f"accuracy: FP32 embeddings ({time.time() - t:.0f} s)", flush=True)
    t = time.time()
    need_mse = any(c.calib == "mse" for c in CONFIGS + SENSITIVITY)
    calib_path = os.path.join(CACHE, f"calibration-{key}.json")
    stats = calibrate.load_or_collect(calib_path, mse=need_mse)
    print(f"accuracy: calibration on {stats['_meta']['texts']} texts, {stats['_meta']['tokens']} tokens "
          f"({time.time() - t:.0f} s)", flush=True)
    configs = list(CONFIGS)
    qkey = qat_train.qat_key(key, calib_path, data.training_texts(), qat_train.DEFAULTS)
    qat = qat_train.load(qkey)
    if qat is None:
        print(f"accuracy: no QAT words for this code ({qkey}): run make qat to add vsq4_qat", flush=True)
    else:
        configs.insert(1, qat_train.QAT)
        _W["qat"] = qat
    if args.only:
        names = args.only.split(",")
        unknown = [n for n in names if n not in {c.name for c in configs}]
        if unknown:
            print(f"accuracy: --only: unknown (or untrained) configuration(s) {unknown}", file=sys.stderr)
            return 2
        configs = [c for c in configs if c.name in names]
        if VSQ4 not in names and not args.no_sensitivity:
            print("accuracy: --only without vsq4 needs --no-sensitivity", file=sys.stderr)
            return 2

    all_rows = np.arange(len(ed.texts))
    sub = np.zeros(len(ed.texts), dtype=bool)
    step = args.quick or SUBSET_STEP
    sub[ed.mr_idx[::step]] = True
    for _, idx in ed.pairs.values():
        sub[idx] = True
    sub_rows = np.flatnonzero(sub)
    if args.limit:
        all_rows = np.unique(np.concatenate([ed.mr_idx[:args.limit], ed.pang_idx[:args.limit // 10],
                                             ed.pairs["lee"][1][:5]]))
        sub_rows = all_rows
    if args.quick:
        all_rows = sub_rows
    jobs = [(c, all_rows) for c in configs]
    if not args.no_sensitivity:
        jobs += [(c, sub_rows) for c in SENSITIVITY]

    _W.update(stats=stats, tokens=tokens)
    results, infos = {}, {}
    todo = []
    for cfg, rows in jobs:
        path = os.path.join(CACHE, f"emb-{cfg.name}-{key}-{len(rows)}.npy")
        if os.path.isfile(path):
            results[cfg.name] = np.load(path)
            info_path = path[:-4] + ".json"
            infos[cfg.name] = json.load(open(info_path)) if os.path.isfile(info_path) else {}
        else:
            todo.append((cfg, rows, path))
    # Longest first, so the pool's tail is short.
    todo.sort(key=lambda j: -len(j[1]) * len(j[0].quantized))
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(max(1, args.jobs)) as pool:
        for name, emb, info in pool.imap_unordered(_run, [(c, r) for c, r, _ in todo]):
            path = next(p for c, _, p in todo if c.name == name)
            np.save(path, emb)
            with open(path[:-4] + ".json", "w") as f:
                json.dump(info, f)
            results[name], infos[name] = emb, info
            print(f"accuracy: {name}: {info['tokens']} tokens, {info['cpu_s']:.0f} s CPU, {info['wall_s']:.0f} s wall",
                  flush=True)

    ev = evaluate.Evaluator(ed, fp32)
    if args.quick:
        fp_sub = np.where(np.isin(np.arange(len(ed.texts)), sub_rows)[:, None], fp32, np.nan)
        sens = {"fp32": ev.partial_metrics(fp_sub)}
        for cfg in configs + ([] if args.no_sensitivity else SENSITIVITY):
            sens[cfg.name] = ev.partial_metrics(results[cfg.name])
        add_mode8_cost(sens, configs + ([] if args.no_sensitivity else SENSITIVITY), tokens, sub_rows)
        runtime = time.time() - t_start
        report.write_quick(args.out, sens=sens, configs=configs + SENSITIVITY, infos=infos, stats=stats,
                           names={"fp32": FP32, "vsq4": VSQ4, "int4_per_tensor": INT4_PT}, runtime_s=runtime,
                           subset={"mr_step": step, "texts": int(len(sub_rows))})
        print(f"accuracy: quick run, wrote {os.path.join(args.out, 'accuracy.json')} ({runtime:.0f} s)")
        return 0
    metrics = {FP32: ev.metrics(fp32)}
    if args.limit:
        metrics = {FP32: ev.partial_metrics(np.where(np.isin(np.arange(len(ed.texts)), all_rows)[:, None], fp32, np.nan))}
    for cfg in configs:
        metrics[cfg.name] = ev.partial_metrics(results[cfg.name]) if args.limit else ev.metrics(results[cfg.name])
    sens = {}
    if not args.no_sensitivity:
        fp_sub = np.where(np.isin(np.arange(len(ed.texts)), sub_rows)[:, None], fp32, np.nan)
        sens["fp32"] = ev.partial_metrics(fp_sub)
        for cfg in [CONFIGS[0]] + SENSITIVITY:
            emb = results[cfg.name]
            if cfg.name == CONFIGS[0].name:
                emb = np.where(np.isin(np.arange(len(ed.texts)), sub_rows)[:, None], emb, np.nan)
            sens[cfg.name] = ev.partial_metrics(emb)
        add_mode8_cost(sens, SENSITIVITY, tokens, sub_rows)
    runtime = time.time() - t_start
    if args.limit:  # smoke run: metrics only
        os.makedirs(args.out, exist_ok=True)
        with open(os.path.join(args.out, "accuracy.json"), "w") as f:
            json.dump(report._jsonable({"configs": metrics, "sensitivity": sens, "runs": infos}), f, indent=1)
        print(f"accuracy: smoke run, wrote {os.path.join(args.out, 'accuracy.json')} ({runtime:.0f} s)")
        return 0
    report.write(args.out, metrics=metrics, sensitivity=sens, configs=configs, sensitivity_configs=SENSITIVITY,
                 infos=infos, stats=stats, names={"fp32": FP32, "vsq4": VSQ4, "int4_per_tensor": INT4_PT},
                 runtime_s=runtime, subset={"mr_step": SUBSET_STEP, "texts": int(len(sub_rows))},
                 fp32=fp32, results=results, ed=ed, qat=qat[2] if qat else None)
    print(f"accuracy: wrote {os.path.join(args.out, 'accuracy.json')} and report.md/.html ({runtime:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
