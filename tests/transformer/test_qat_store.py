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


def test_lr_factor_warms_up_linearly_then_decays_to_zero():
    hp = dict(qat_train.DEFAULTS, steps=100, warmup=10)
    f = [qat_train.lr_factor(s, hp) for s in range(101)]
    assert np.allclose(f[:10], np.arange(1, 11) / 10)  # linear ramp, full rate at the end of the warmup
    assert f[10] == 1.0 and abs(f[100]) < 1e-12 and np.all(np.diff(f[10:]) < 0)
    nowarm = dict(hp, warmup=0)
    assert qat_train.lr_factor(0, nowarm) == 1.0 and abs(qat_train.lr_factor(50, nowarm) - 0.5) < 1e-12


def test_training_code_is_in_the_qat_key_not_in_the_pipelines_code_hash(tmp_path):
    """Editing the training (qat.py, qat_train.py) retrains the words but keeps the FP32, calibration
    and PTQ caches (their key, code_hash, is the pipeline's numerics only)."""
    import inspect

    from transformer import __main__ as main

    src = inspect.getsource(main.code_hash)
    assert '"qat.py"' in src and '"qat_train.py"' in src
    calib = tmp_path / "calibration.json"
    calib.write_text("{}")
    src_key = inspect.getsource(qat_train.qat_key)
    assert "qat.py" in src_key and "__file__" in src_key
    assert qat_train.qat_key("c", str(calib), ["a"], dict(qat_train.DEFAULTS)) != \
        qat_train.qat_key("c", str(calib), ["a"], dict(qat_train.DEFAULTS, hidden=0.5))


def test_forward_batch_taps_see_every_layer_output_and_do_not_change_it(synthetic_layer):
    weights, batch, h, _, _ = synthetic_layer
    w = minilm.Weights(word=np.random.default_rng(1).standard_normal((int(batch.ids.max()) + 1, 384)).astype(np.float32),
                       pos=np.zeros((batch.L, 384), np.float32), type0=np.zeros(384, np.float32),
                       ln_g=np.ones(384, np.float32), ln_b=np.zeros(384, np.float32), layers=weights.layers)
    seen = []
    out = minilm.forward_batch(w, batch, taps=lambda l, x: seen.append((l, x.copy())))
    assert np.array_equal(out, minilm.forward_batch(w, batch))
    assert [l for l, _ in seen] == list(range(minilm.LAYERS)) and all(x.shape == (batch.ntok, 384) for _, x in seen)
    assert np.allclose(minilm.mean_pool(batch, seen[-1][1]), out)
    hs = qat_train.teacher_hidden(w, batch)  # the intermediate targets: layers 0..4
    assert len(hs) == minilm.LAYERS - 1 and all(np.array_equal(a, b) for a, (_, b) in zip(hs, seen))
