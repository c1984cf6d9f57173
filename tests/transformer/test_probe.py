import numpy as np

from transformer import probe


def test_ranks_average_ties():
    assert list(probe.rankdata([3, 1, 2, 2, 5])) == [4, 1, 2.5, 2.5, 5]


def test_spearman_of_monotone_is_one():
    x = np.random.default_rng(0).standard_normal(100)
    assert abs(probe.spearman(x, np.exp(x)) - 1) < 1e-12
    assert abs(probe.spearman(x, -x) + 1) < 1e-12


def test_logreg_separates_and_is_deterministic():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((400, 20))
    y = (X[:, 0] + 0.3 * X[:, 1] > 0).astype(int)
    a = probe.LogReg().fit(X, y)
    assert (a.predict(X) == y).mean() > 0.95
    assert np.array_equal(a.w, probe.LogReg().fit(X, y).w)


def test_folds_partition():
    f = probe.folds(103, 10)
    assert sorted(np.concatenate(f)) == list(range(103)) and len(f) == 10


def test_paired_bootstrap_of_identical_is_zero():
    c = np.random.default_rng(2).random(500) > 0.3
    iv = probe.accuracy_ci(c, c)
    assert iv["diff_ci"] == [0.0, 0.0] and iv["ci"][0] < c.mean() < iv["ci"][1]
