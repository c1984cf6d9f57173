"""FP32 forward pass of all-MiniLM-L6-v2 against sentence-transformers' own output."""

import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def test_weights_sha256(minilm_model):
    path = os.path.join(minilm_model.model_dir(), "model.safetensors")
    assert minilm_model.sha256_file(path) == minilm_model.MODEL_SHA256


def test_tokenizer_no_padding_truncates_at_256(minilm_model):
    toks = minilm_model.tokenize(["hello world", "word " * 400])
    assert len(toks[0]) == 4  # [CLS] hello world [SEP], not padded to 128
    assert len(toks[1]) == 256 and toks[1][0] == 101 and toks[1][-1] == 102


def test_fp32_forward_matches_golden(minilm_model):
    g = np.load(os.path.join(HERE, "golden.npz"))
    emb = minilm_model.encode(list(g["texts"]))
    cos = (emb * g["embeddings"]).sum(axis=1) / np.linalg.norm(g["embeddings"], axis=1)
    assert cos.min() >= 0.99999, cos


def test_erf_accuracy():
    import math

    from transformer.minilm import erf

    x = np.linspace(-6, 6, 20001).astype(np.float32)
    ref = np.array([math.erf(v) for v in x.astype(np.float64)])
    assert np.abs(erf(x) - ref).max() < 1e-6


def test_batches_cover_every_text_once():
    from transformer.minilm import PAD_TO, make_batches

    toks = [np.arange(n) for n in (3, 40, 33, 5, 64, 65, 2)]
    batches = make_batches(toks, max_tokens=64)
    seen = np.concatenate([b.index for b in batches])
    assert sorted(seen) == list(range(len(toks)))
    for b in batches:
        assert b.L % PAD_TO == 0 and b.lengths.max() <= b.L and b.lengths.min() > b.L - PAD_TO
        assert np.array_equal(b.gather(b.scatter(np.arange(b.ntok))), np.arange(b.ntok))
