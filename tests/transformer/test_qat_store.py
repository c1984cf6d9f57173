"""QAT bookkeeping without torch (runs in make test's environment): the cache key, the words round trip,
the determinism settings and the batch-composition independence of the pipeline."""

import os
import subprocess
import sys

import numpy as np

from transformer import minilm, qat_train
from transformer.config import Config
from transformer.pipeline import Pipeline


def test_qat_key_changes_with_everything_the_words_depend_on(tmp_path):
    calib = tmp_path / "calibration.json"
    calib.write_text("{}")
    hp = dict(qat_train.DEFAULTS)
    base = qat_train.qat_key("code", str(calib), ["a b c d"], hp)
    assert base == qat_train.qat_key("code", str(calib), ["a b c d"], dict(hp))
    assert base != qat_train.qat_key("code2", str(calib), ["a b c d"], hp)
    assert base != qat_train.qat_key("code", str(calib), ["a b c e"], hp)
    assert base != qat_train.qat_key("code", str(calib), ["a b c d"], dict(hp, steps=hp["steps"] + 1))
    calib.write_text('{"x": 1}')
    assert base != qat_train.qat_key("code", str(calib), ["a b c d"], hp)


def test_exported_words_load_into_a_pipeline_and_reproduce_its_layer(synthetic_layer, tmp_path, monkeypatch):
    weights, batch, h, _, stats = synthetic_layer
    from transformer import calibrate

    cfg = qat_train.QAT
    scales = calibrate.scales_for(cfg, stats)
    pipe = Pipeline(cfg, scales, weights=weights, selfcheck=False)
    words = qat_train.export_words(pipe)
    assert all(np.abs(words[f"{l}.{n}/q"]).max() <= 7 for l in range(minilm.LAYERS) for n in qat_train.GEMMS)
    monkeypatch.setattr(qat_train, "QAT_DIR", str(tmp_path))
    w = minilm.Weights(word=np.zeros((3, 384), np.float32), pos=np.zeros((4, 384), np.float32),
                       type0=np.zeros(384, np.float32), ln_g=np.ones(384, np.float32),
                       ln_b=np.zeros(384, np.float32), layers=weights.layers)
    qat_train.save("k", w, words, {"hp": {}})
    w2, words2, _ = qat_train.load("k")
    assert words2.keys() == words.keys() and all(np.array_equal(words[k], words2[k]) for k in words)
    assert np.array_equal(w2.layers[3].w1, w.layers[3].w1)
    fresh = qat_train.load_words(Pipeline(cfg, scales, weights=w2, selfcheck=False), words2)
    out = fresh.layer(0, batch, h)
    assert np.array_equal(out, Pipeline(cfg, scales, weights=weights, selfcheck=False).layer(0, batch, h))
    # the words are what the pipeline reads: other words, other output
    words2["0.w1/q"] = np.zeros_like(words2["0.w1/q"])
    other = qat_train.load_words(Pipeline(cfg, scales, weights=w2, selfcheck=False), words2).layer(0, batch, h)
    assert not np.array_equal(other, out)


def test_sentences_do_not_depend_on_their_batch(synthetic_layer):
    """A text's vsq4 output is the same alone or batched with others (so text order, batch sizes and
    worker splits cannot move the numbers)."""
    weights, batch, h, _, stats = synthetic_layer
    from transformer import calibrate

    cfg = Config("vsq4", wclip="max")
    pipe = Pipeline(cfg, calibrate.scales_for(cfg, stats), weights=weights, selfcheck=False)
    both = pipe.layer(0, batch, h)
    n0 = int(batch.lengths[0])
    one = minilm.Batch(index=np.arange(1), ids=batch.ids[1:], lengths=batch.lengths[1:])
    assert np.array_equal(pipe.layer(0, one, np.ascontiguousarray(h[n0:])), both[n0:])


def test_pin_blas_sets_one_thread_before_numpy():
    code = ("import os; from transformer.determinism import pin_blas; os.environ['OPENBLAS_NUM_THREADS'] = '4'; "
            "pin_blas(); print(os.environ['OPENBLAS_NUM_THREADS'], os.environ['OMP_NUM_THREADS'])")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["1", "1"]
