"""Mixed precision (``Config.mode8``): the named classes' GEMMs are int8-mode cases of ``models.run_case``.

Synthetic weights with MiniLM's shapes: no model download.
"""

import numpy as np
import pytest

import models
from transformer import calibrate, minilm
from transformer.config import Config
from transformer.cost import layer_cost, mode8_cost
from transformer.pipeline import Pipeline
from transformer.weightquant import gptq_channel

H, F = minilm.HIDDEN, minilm.FFN


@pytest.fixture(scope="module")
def setup(synthetic_layer):
    return synthetic_layer


def _run_layer(cfg, setup):
    """The pipeline's layer 0 and its linear GEMMs' cases in the order they ran (its ``on_gemm`` hook)."""
    weights, batch, h, ref, stats = setup
    cases = []

    def record(layer, name, slices):
        if name not in ("scores", "context"):
            cases.append(slices.case(0))

    pipe = Pipeline(cfg, calibrate.scales_for(cfg, stats), weights=weights, on_gemm=record)
    out = pipe.layer(0, batch, h)
    return pipe, cases, out, ref


def _cos(a, b):
    return float((a * b).sum() / np.linalg.norm(a) / np.linalg.norm(b))


def test_mode8_ffn1_runs_an_int8_case_and_the_rest_as_vsq4(setup):
    pipe, cases, out, ref = _run_layer(Config("m8", mode8=("ffn1",)), setup)
    # GEMM order: [Wq; Wk], Wv, Wo, W1, W2
    assert [c["mode"] for c in cases] == ["int4_vsq", "int4_vsq", "int4_vsq", "int8", "int4_vsq"]
    assert [c["out_mode"] for c in cases] == ["int4_vsq", "int8", "int8_vsq", "int8_vsq", "int8_vsq"]
    w1 = cases[3]
    assert w1["a_q"].shape == (F, H) and w1["a_s"].shape == (F, H // 32) and not w1["a_s"].any()
    assert w1["b_s"].shape == (H // 32, w1["b_q"].shape[1])
    assert 7 < np.abs(w1["a_q"].astype(int)).max() <= 127 and 7 < np.abs(w1["b_q"].astype(int)).max() <= 127
    for c in cases[:3] + cases[4:]:
        assert np.abs(c["a_q"].astype(int)).max() <= 7 and np.abs(c["b_q"].astype(int)).max() <= 7
    assert pipe.check.checked == 2 and pipe.check.failed == 0 and pipe.stats["mask_leaks"] == 0
    # the int8 FFN1 is the better approximation of the float layer
    _, _, out4, _ = _run_layer(Config("v"), setup)
    assert _cos(out, ref) > _cos(out4, ref)


def test_mode8_qkv_and_ffn2(setup):
    pipe, cases, out, ref = _run_layer(Config("m8", mode8=("qkv", "ffn2")), setup)
    assert [c["mode"] for c in cases] == ["int8", "int8", "int4_vsq", "int4_vsq", "int8"]
    assert cases[0]["out_mode"] == "int4_vsq"  # Q/K words for the int4_vsq QKᵀ are unchanged
    assert pipe.check.failed == 0 and _cos(out, ref) > 0.9


def test_mode8_scales_and_validation(setup):
    stats = setup[4]
    base = calibrate.scales_for(Config("a"), stats)
    m8 = calibrate.scales_for(Config("b", mode8=("ffn1",)), stats)
    assert m8["0.x_ffn1"] == stats["0.x_ffn1"]["maxabs"] / 127
    for k in ("0.x_qkv", "0.x_ffn2", "0.ffn1_out"):
        assert m8[k] == base[k]
    with pytest.raises(ValueError):
        Config("c", mode8=("wo",))
    with pytest.raises(ValueError):
        Config("d", scheme="int8_channel", mode8=("ffn1",))


def test_gptq_channel_is_legal_int8_and_beats_rounding():
    rng = np.random.default_rng(1)
    M, K, N = 32, 192, 2000
    w = rng.standard_normal((M, K))
    x = rng.standard_normal((N, K)) @ (rng.standard_normal((K, K)) * 0.3 + np.eye(K))
    q, scale = gptq_channel(w, 8, x.T @ x)
    q0, s0 = models.per_channel(w, 8, axis=-1)
    assert q.dtype == np.int8 and np.abs(q.astype(int)).max() <= 127 and np.array_equal(scale, s0[:, 0])

    def out_err(qq):
        return float(((x @ (w - qq * scale[:, None]).T) ** 2).sum())

    assert out_err(q) < 0.7 * out_err(q0)


def test_layer_cost_int8_doubles_the_lane_steps():
    macs, st = layer_cost((), 32)
    assert macs["ffn1"] == H * F and macs["scores"] == 12 * 32 * 32
    assert st["ffn1"] == (F / 16) * (H / 64) and st["qkv"] == (3 * H / 16) * (H / 64)
    _, st8 = layer_cost(("ffn1", "qkv"), 32)
    assert st8["ffn1"] == 2 * st["ffn1"] and st8["qkv"] == 2 * st["qkv"] and st8["ffn2"] == st["ffn2"]


def test_mode8_cost_matches_layer_cost_for_full_sequences():
    share, rel = mode8_cost(("ffn1",), [32, 32])
    macs, st = layer_cost(("ffn1",), 32)
    _, st0 = layer_cost((), 32)
    assert share == pytest.approx(macs["ffn1"] / sum(macs.values()))
    assert rel == pytest.approx(sum(st.values()) / sum(st0.values()))
    assert mode8_cost((), [5, 70]) == (0.0, 1.0)
