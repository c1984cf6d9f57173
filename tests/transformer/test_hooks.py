"""The pipeline's GEMM hook (``on_gemm``): every GEMM by name, as the cases it stands for.

Synthetic weights with MiniLM's shapes (conftest ``synthetic_layer``): no model download.
"""

import numpy as np

import models
from transformer import calibrate
from transformer.config import Config
from transformer.minilm import HEADS
from transformer.pipeline import Pipeline


def _layer(cfg, setup, on_gemm=None):
    weights, batch, h, _, stats = setup
    pipe = Pipeline(cfg, calibrate.scales_for(cfg, stats), weights=weights, on_gemm=on_gemm)
    return pipe, pipe.layer(0, batch, h)


def test_on_gemm_names_every_gemm_of_a_layer_and_changes_nothing(synthetic_layer):
    seen = []
    pipe, out = _layer(Config("v"), synthetic_layer, lambda layer, name, s: seen.append((layer, name, s.count)))
    B = len(synthetic_layer[1].lengths)
    assert seen == [(0, "qk", 1), (0, "v", 1), (0, "scores", B * HEADS), (0, "context", B * HEADS),
                    (0, "wo", 1), (0, "w1", 1), (0, "w2", 1)]
    assert pipe.stats["gemms"] == 5 and pipe.stats["batched_gemms"] == 2
    _, plain = _layer(Config("v"), synthetic_layer)
    assert np.array_equal(out, plain)


def test_every_attention_slice_is_its_case_bit_for_bit(synthetic_layer):
    """Not one random slice as the self-check does: every (sentence, head) of both batched GEMMs."""
    got = {}
    _layer(Config("v"), synthetic_layer, lambda layer, name, s: got.setdefault(name, s))
    for name in ("scores", "context"):
        s = got[name]
        for i in range(s.count):
            case = s.case(i)
            models.validate_case(case)
            expect, cols = s.expect(i)
            out = models.run_case(case)
            for key, val in expect.items():
                assert np.array_equal(out[key] if cols is None else out[key][:, cols], val), (name, i, key)


def test_linear_cases_run_to_the_layers_outputs(synthetic_layer):
    """The case reported for W2 is the one that ran: its int8_vsq output, dequantized, is the layer's FFN2."""
    taps, got = {}, {}
    weights, batch, h, _, stats = synthetic_layer
    cfg = Config("v")
    scales = calibrate.scales_for(cfg, stats)
    Pipeline(cfg, scales, weights=weights, taps=lambda l, p, x: taps.setdefault(p, x),
             on_gemm=lambda l, name, s: got.setdefault(name, s.case(0))).layer(0, batch, h)
    case = got["w2"]
    assert case["a_q"].shape == (weights.layers[0].w2.shape[0], weights.layers[0].w2.shape[1])
    out = models.run_case(case)
    q = out["out_q"].astype(np.float32).reshape(-1, 32, out["out_q"].shape[1]) * out["out_s"][:, None, :]
    ffn2 = (q.reshape(out["out_q"].shape) * np.float32(scales["0.ffn2_out"])).T
    assert np.array_equal(ffn2, taps["ffn2_out"])
