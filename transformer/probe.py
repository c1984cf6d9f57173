"""Small numpy statistics: logistic-regression probe, k-fold, Spearman, bootstrap.

* ``LogReg``: L2-regularized logistic regression (sklearn's objective
  ``0.5·|w|² + C·Σ logloss``, intercept not penalized) on standardized
  features, fitted by Newton's method (384 features: the Hessian is tiny).
* ``folds``: a fixed random split into k folds (seed 0).
* ``spearman``: Pearson correlation of average ranks (ties averaged).
* ``paired_bootstrap``: percentile interval of a statistic's difference
  between two paired per-item samples, resampling items with replacement.
"""

import numpy as np

C_DEFAULT = 1.0
BOOT = 2000
SEED = 0


class LogReg:
    def __init__(self, C=C_DEFAULT, iters=30, tol=1e-6):
        self.C, self.iters, self.tol = C, iters, tol

    def fit(self, X, y):
        X = np.asarray(X, dtype=np.float64)
        self.mu = X.mean(axis=0)
        self.sd = X.std(axis=0) + 1e-12
        Z = np.hstack([(X - self.mu) / self.sd, np.ones((len(X), 1))])
        y = np.asarray(y, dtype=np.float64)
        d = Z.shape[1]
        reg = np.full(d, 1.0 / self.C)
        reg[-1] = 0.0
        w = np.zeros(d)
        for _ in range(self.iters):
            p = 1.0 / (1.0 + np.exp(-(Z @ w)))
            grad = Z.T @ (p - y) + reg * w
            H = (Z * (p * (1 - p))[:, None]).T @ Z + np.diag(reg + 1e-10)
            step = np.linalg.solve(H, grad)
            w -= step
            if np.max(np.abs(step)) < self.tol:
                break
        self.w = w
        return self

    def decision(self, X):
        Z = (np.asarray(X, dtype=np.float64) - self.mu) / self.sd
        return Z @ self.w[:-1] + self.w[-1]

    def predict(self, X):
        return (self.decision(X) > 0).astype(int)


def folds(n, k=10, seed=SEED):
    """Test-index arrays of a fixed random k-fold split of range(n)."""
    perm = np.random.default_rng(seed).permutation(n)
    return np.array_split(perm, k)


def rank_rows(x):
    """Average ranks (1-based, ties averaged) along the last axis of x [..., n]."""
    x = np.asarray(x, dtype=np.float64)
    n = x.shape[-1]
    order = np.argsort(x, axis=-1, kind="mergesort")
    xs = np.take_along_axis(x, order, axis=-1)
    pos = np.broadcast_to(np.arange(n), xs.shape)
    first = np.ones(xs.shape, dtype=bool)
    first[..., 1:] = xs[..., 1:] != xs[..., :-1]
    last = np.ones(xs.shape, dtype=bool)
    last[..., :-1] = xs[..., 1:] != xs[..., :-1]
    start = np.maximum.accumulate(np.where(first, pos, 0), axis=-1)
    end = np.flip(np.minimum.accumulate(np.flip(np.where(last, pos, n), -1), axis=-1), -1)
    ranks = np.empty(xs.shape)
    np.put_along_axis(ranks, order, (start + end) / 2.0 + 1.0, axis=-1)
    return ranks


def rankdata(x):
    return rank_rows(x)


def pearson(a, b):
    a = a - a.mean()
    b = b - b.mean()
    return float((a * b).sum() / np.sqrt((a * a).sum() * (b * b).sum()))


def spearman(a, b):
    return pearson(rankdata(a), rankdata(b))


def _ranked_pearson_rows(ra, rb):
    """Pearson of each row of ra [B, n] with rb [B, n] (already ranks)."""
    ra = ra - ra.mean(axis=1, keepdims=True)
    rb = rb - rb.mean(axis=1, keepdims=True)
    return (ra * rb).sum(1) / np.sqrt((ra * ra).sum(1) * (rb * rb).sum(1))


def bootstrap_indices(n, boot=BOOT, seed=SEED):
    return np.random.default_rng(seed).integers(0, n, size=(boot, n))


def ci(samples, level=0.95):
    lo, hi = np.percentile(samples, [50 * (1 - level), 50 * (1 + level)])
    return [float(lo), float(hi)]


def accuracy_ci(correct, ref_correct=None, boot=BOOT):
    """(interval of the accuracy, interval of accuracy - reference accuracy) by paired bootstrap."""
    correct = np.asarray(correct, dtype=np.float64)
    idx = bootstrap_indices(len(correct), boot)
    acc = correct[idx].mean(axis=1)
    out = {"ci": ci(acc)}
    if ref_correct is not None:
        ref = np.asarray(ref_correct, dtype=np.float64)[idx].mean(axis=1)
        out["diff_ci"] = ci(acc - ref)
    return out


def spearman_ci(model, human, ref_model=None, boot=BOOT):
    """Bootstrap over pairs: interval of Spearman(model, human) and of its difference to ref_model."""
    idx = bootstrap_indices(len(human), boot)
    h = np.asarray(human)[idx]
    rh = rank_rows(h)
    rm = rank_rows(np.asarray(model)[idx])
    rho = _ranked_pearson_rows(rm, rh)
    out = {"ci": ci(rho)}
    if ref_model is not None:
        rr = rank_rows(np.asarray(ref_model)[idx])
        out["diff_ci"] = ci(rho - _ranked_pearson_rows(rr, rh))
    return out
