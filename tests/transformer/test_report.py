"""report.write on synthetic metrics: JSON keys, markdown table, HTML and plots."""

import json
import os

import numpy as np

from transformer import report
from transformer.config import Config

KEYS = ("mr_acc_fp32_probe", "mr_acc_retrained", "pang200_acc", "lee_spearman", "ws353_spearman", "simlex_spearman")


def _metrics(v):
    m = {"cos_mean": v, "cos_min": v - 0.1, "cos_by_set": {}}
    for k in KEYS:
        m[k] = 0.7 * v
        m[k + "_ci"] = [0.7 * v - 0.01, 0.7 * v + 0.01]
        m[k + "_diff_ci"] = [-0.01, 0.01]
    return m


def test_write_full_report(tmp_path):
    configs = [Config("vsq4", description="a"), Config("int4_per_tensor", scheme="int4_tensor", description="b")]
    sconf = [Config("vsq4_only_qkv", quantized=("qkv",), description="c")]
    metrics = {"fp32": _metrics(1.0), "vsq4": _metrics(0.9), "int4_per_tensor": _metrics(0.3)}
    part = {"texts": 10, "cos_mean": 0.9, "cos_min": 0.8, "mr_sentences": 5, "mr_acc_fp32_probe": 0.7,
            "mr_acc_fp32_probe_ref": 0.72, "mr_acc_fp32_probe_diff_ci": [-0.05, 0.01], "lee_spearman": 0.5}
    sens = {"fp32": dict(part, cos_mean=1.0), "vsq4": part, "vsq4_only_qkv": part}
    rng = np.random.default_rng(0)
    fp32 = rng.standard_normal((20, 8))
    results = {n: fp32 + 0.1 * rng.standard_normal((20, 8)) for n in ("vsq4", "int4_per_tensor")}
    report.write(str(tmp_path), metrics=metrics, sensitivity=sens, configs=configs, sensitivity_configs=sconf,
                 infos={"vsq4": {"tokens": 5, "cpu_s": 1.0, "wall_s": 1.0, "gemms": 1, "batched_gemms": 1,
                                 "selfchecks": 1, "selfcheck_failures": 0}},
                 stats={"_meta": {"texts": 1, "tokens": 2}},
                 names={"fp32": "fp32", "vsq4": "vsq4", "int4_per_tensor": "int4_per_tensor"}, runtime_s=1.0,
                 subset={"mr_step": 8, "texts": 10}, fp32=fp32, results=results, ed=None)
    doc = json.load(open(tmp_path / "accuracy.json"))
    assert doc["fp32"] == "fp32" and doc["vsq4"] == "vsq4" and doc["int4_per_tensor"] == "int4_per_tensor"
    assert set(doc["configs"]) == {"fp32", "vsq4", "int4_per_tensor"}
    assert all(k in doc["configs"]["vsq4"] for k in ("cos_mean", "cos_min") + KEYS)
    md = open(tmp_path / "report.md").read()
    assert "| vsq4 |" in md and "not met" in md
    for f in ("report.html", "configs.png", "cosine_hist.png", "sensitivity.png"):
        assert os.path.getsize(tmp_path / f) > 0
