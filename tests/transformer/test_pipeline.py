"""The accelerator pipeline's GEMMs are the reference model's cases, bit for bit."""

import numpy as np
import pytest

import models
from transformer.attention import batched_acc
from transformer.cases import fold
from transformer.config import Config
from transformer.hostquant import host_quant, pad_heads, unpad_heads, vsquant_static
from transformer.pipeline import Pipeline
from transformer.weightquant import quantize_weight, wo_padded


def _rng(seed=0):
    return np.random.default_rng(seed)


def test_vsquant_static_equals_models_quantizer_at_its_own_gamma():
    x = _rng().standard_normal((50, 256)) * np.exp(_rng(1).standard_normal((1, 256)))
    ref = models.vsquant(x.T, 64, 4, axis=0, coarse="tensor")
    q, s = vsquant_static(x, 4, float(ref["gamma"]))
    assert np.array_equal(q, ref["q"].T) and np.array_equal(s, ref["sq"].T)


def test_zero_padding_of_a_head_reduction_is_exact():
    rng = _rng(2)
    d = 32
    a = rng.integers(-7, 8, (16, d))
    b = rng.integers(-7, 8, (d, 24))
    sa = rng.integers(1, 256, (16, 1))
    sb = rng.integers(1, 256, (1, 24))
    direct = (a @ b) * models.scale_product(sa, sb)
    for half in (0, 1):  # the head in either half of a 64-element word
        ap = np.zeros((16, 64), np.int8)
        bp = np.zeros((64, 24), np.int8)
        ap[:, half * d:(half + 1) * d] = a
        bp[half * d:(half + 1) * d] = b
        bp[(1 - half) * d:(2 - half) * d] = rng.integers(-7, 8, (d, 24))  # the other head's half of the B word
        acc = models.gemm_acc("int4_vsq", ap, sa.astype(np.uint8), bp, sb.astype(np.uint8), 64)
        assert np.array_equal(acc, direct)


def test_padded_wo_layout_is_exact_in_float():
    rng = _rng(3)
    wo = rng.standard_normal((384, 384))
    ctx = rng.standard_normal((5, 384))
    assert np.allclose(pad_heads(ctx) @ wo_padded(wo).T, ctx @ wo.T)
    assert np.array_equal(unpad_heads(pad_heads(ctx)), ctx)


@pytest.mark.parametrize("mode", ["int4_vsq", "int4", "int8"])
def test_batched_acc_equals_models_gemm(mode):
    rng = _rng(4)
    lo, hi = (-128, 127) if mode == "int8" else (-8, 7)
    V = models.vec_len(mode, 64)
    G, M, K, N = 3, 16, 40 * V, 8  # long K: the accumulator saturates
    a = rng.choice([lo, hi], (G, M, K)).astype(np.int8)
    a[0] = hi  # group 0 drives the accumulator to its positive rail
    b = np.full((G, K, N), hi, np.int8)
    sa = rng.integers(200, 256, (G, M, K // V)).astype(np.uint8)
    sb = rng.integers(200, 256, (G, K // V, N)).astype(np.uint8)
    acc = batched_acc(mode, a, sa, b, sb)
    for g in range(G):
        ref = models.gemm_acc(mode, a[g], sa[g], b[g], sb[g], 64)
        assert np.array_equal(acc[g].astype(np.int64), ref)
    if mode != "int4":  # plain INT4 needs thousands of steps to reach the rail
        assert acc[0].max() == 2 ** 23 - 1


def test_fold_is_the_largest_shift():
    F = np.array([1e-3, 0.37, 2.5e-5])
    g, sh = fold(F)
    assert int(g.max()) <= 65535 and 2 * int(g.max()) > 65535 - 2
    assert np.allclose(g * 2.0 ** -sh, F, rtol=2e-4, atol=2.0 ** -sh)


class _NoWeights:
    layers = ()


def test_linear_gemm_is_run_case_on_the_equivalent_case():
    rng = _rng(5)
    cfg = Config("t")
    pipe = Pipeline(cfg, scales={}, weights=_NoWeights())
    w = rng.standard_normal((128, 192)) * 0.05
    x = rng.standard_normal((40, 192))
    bias = rng.standard_normal(128) * 0.1
    qw = quantize_weight(w, cfg.sch)
    xin = host_quant(x, "vsq", 4, 0.004)
    out_scale = 0.002
    got = pipe.linear(qw, xin, bias, "int4_vsq", out_scale)
    F = qw.scale * 0.004 * 256 / out_scale
    g, sh = fold(F)
    case = {"mode": "int4_vsq", "out_mode": "int4_vsq", "a_q": qw.q, "a_s": qw.s, "b_q": np.ascontiguousarray(xin.q.T),
            "b_s": np.ascontiguousarray(xin.s.T), "g": g, "bias": np.rint(bias / out_scale).astype(np.int16),
            "sh": sh, "relu": False, "vec": 64, "lanes": 16}
    ref = models.run_case(case)
    assert np.array_equal(got.q, ref["out_q"].T) and np.array_equal(got.s, ref["out_s"].T)
    # and the dequantized output approximates the float layer
    approx = got.dequant()
    exact = x @ w.T + bias
    assert np.corrcoef(approx.ravel(), exact.ravel())[0, 1] > 0.95


def test_real_data_cases_are_legal_and_plausible():
    import json
    import os

    root = os.path.join(os.path.dirname(__file__), "..", "..", "regressions", "data")
    manifest = json.load(open(os.path.join(root, "minilm_cases.json")))
    outs = {}
    for name, info in manifest["cases"].items():
        case = models.load_case(os.path.join(root, name))
        assert (case["vec"], case["lanes"]) == (64, 16)
        assert case["mode"] == info["mode"] and case["out_mode"] == info["out_mode"]
        outs[name] = models.run_case(case)
    probs = next(o["probs"] for n, o in outs.items() if n.endswith("_scores.npz"))
    T = manifest["tokens"]
    assert not probs[T:].any()  # padded keys get exactly 0
    assert np.all(np.abs(probs.astype(int).sum(axis=0) - 128) <= 8)  # columns sum to ~1.0 in Q1.7
    ffn = outs["minilm_l0_ffn2.npz"]
    assert ffn["out_q"][:, :T].any() and not np.abs(ffn["acc"]).max() >= 2 ** 23 - 1
