"""export_cases --qat: the real-data cases of the vsq4_qat pipeline the harness evaluates (its exported words and
its LSQ-learned coarse scales). Needs the model (skipped without it), not torch: the "trained" words here are the
pipeline's own words of the FP32 weights, with one learned scale moved."""

import numpy as np
import pytest

import models
from transformer import calibrate, export_cases, minilm, qat_train
from transformer.pipeline import Pipeline

TEXTS = ["The river rose overnight and cut the town off.", "Markets fell sharply."]


@pytest.fixture(scope="module")
def qat_result(minilm_model):
    stats = calibrate.collect(texts=TEXTS)
    scales = calibrate.scales_for(qat_train.QAT, stats)
    words = qat_train.export_words(Pipeline(qat_train.QAT, scales))
    learned = {"0.q": 1.5 * scales["0.q"]}  # as qat_train's info records an LSQ-trained scale
    return stats, scales, (minilm.load_weights(), words, {"learned_scales": learned})


def _recorded_scores(pipe):
    """The scores case (head HEAD) a pipeline runs on export_cases' sentence."""
    gemms = {}
    pipe.on_gemm = lambda layer, name, slices: gemms.setdefault(name, slices)
    batch = minilm.make_batches(minilm.tokenize([export_cases.SENTENCE]))[0]
    pipe.layer(0, batch, minilm.embed(pipe.w, batch))
    return gemms["scores"].case(export_cases.HEAD)


def _same_case(a, b):
    return sorted(a) == sorted(b) and all(np.array_equal(np.asarray(a[k]), np.asarray(b[k])) for k in a)


def test_qat_cases_use_the_learned_coarse_scales(qat_result):
    stats, scales, qat = qat_result
    scores, pv, ffn2, info = export_cases.layer0_cases(stats, qat=qat)
    assert info["config"].startswith(qat_train.QAT.name)
    # the expected case: a pipeline built by hand on the words with the learned scale in place
    by_hand = qat_train.load_words(Pipeline(qat_train.QAT, dict(scales, **qat[2]["learned_scales"]),
                                            weights=qat[0]), qat[1])
    assert _same_case(scores, _recorded_scores(by_hand))
    # and the learned scale matters: without it the scores case's g/sh differ
    plain = qat_train.load_words(Pipeline(qat_train.QAT, scales, weights=qat[0]), qat[1])
    old = _recorded_scores(plain)
    assert not (np.array_equal(scores["g"], old["g"]) and np.array_equal(scores["sh"], old["sh"]))
    for case in (scores, pv, ffn2):  # the reference model runs every exported case
        assert models.run_case(case)


def test_qat_cases_without_learned_scales_are_the_words_pipelines(qat_result):
    stats, scales, (w, words, _) = qat_result
    scores, _, _, _ = export_cases.layer0_cases(stats, qat=(w, words, {}))
    plain = qat_train.load_words(Pipeline(qat_train.QAT, scales, weights=w), words)
    assert _same_case(scores, _recorded_scores(plain))
