"""All metrics of one configuration's embeddings, against the FP32 embeddings.

* ``cos_mean`` / ``cos_min``: cosine of each text's embedding to its FP32
  embedding, over every evaluated text (MR-4000 — which contains the 200
  Pang & Lee sentences —, the 50 Lee documents and the words of WordSim-353
  and SimLex-999, each text once).
* ``mr_acc_fp32_probe``: MR-4000 accuracy, 10-fold; in each fold a logistic
  regression probe is trained on the FP32 embeddings of the other nine folds
  and applied to this configuration's embeddings (the deployment view).
* ``mr_acc_retrained``: the same with the probe trained on this
  configuration's embeddings.
* ``pang200_acc``: the 200 Pang & Lee sentences of gensim's test data,
  classified by a probe trained on the FP32 embeddings of the 3800 other
  MR-4000 sentences (all 200 are in MR-4000, so they are held out).
* ``lee_spearman``, ``ws353_spearman``, ``simlex_spearman``: Spearman
  correlation of embedding cosines with the human ratings.
Every accuracy / correlation also gets a bootstrap 95 % interval (``*_ci``)
and a paired-bootstrap interval of its difference to FP32 (``*_diff_ci``).
"""

from dataclasses import dataclass

import numpy as np

from . import data
from .probe import LogReg, accuracy_ci, folds, spearman, spearman_ci

K_FOLDS = 10


@dataclass
class EvalData:
    texts: list  # every distinct text, embedded once per configuration
    mr: object
    mr_idx: np.ndarray
    pang: object
    pang_idx: np.ndarray
    pang_in_mr: np.ndarray  # bool over MR rows: the 200 Pang & Lee sentences
    pairs: dict  # name -> (Pairs, idx)


def load_eval(downloads=None):
    mr = data.mr4000(downloads)
    pang = data.pang200()
    lee = data.lee()
    ws = data.wordsim353()
    sl = data.simlex999()
    index = {}
    for t in mr.texts + pang.texts + lee.texts + ws.texts + sl.texts:
        index.setdefault(t, len(index))
    texts = list(index)
    pang_set = set(pang.texts)
    return EvalData(
        texts=texts, mr=mr, mr_idx=np.array([index[t] for t in mr.texts]),
        pang=pang, pang_idx=np.array([index[t] for t in pang.texts]),
        pang_in_mr=np.array([t in pang_set for t in mr.texts]),
        pairs={name: (p, np.array([index[t] for t in p.texts]))
               for name, p in (("lee", lee), ("ws353", ws), ("simlex", sl))},
    )


def pair_cos(emb, pairs, idx):
    e = emb[idx]
    return (e[pairs.i] * e[pairs.j]).sum(axis=1)


class Evaluator:
    """Trains the FP32 probes once; ``metrics(emb)`` scores any configuration."""

    def __init__(self, ed, fp32):
        self.ed = ed
        self.fp32 = fp32
        X = fp32[ed.mr_idx]
        y = ed.mr.labels
        self.folds = folds(len(y), K_FOLDS)
        self.fold_probes = []
        for test in self.folds:
            train = np.setdiff1d(np.arange(len(y)), test)
            self.fold_probes.append(LogReg().fit(X[train], y[train]))
        keep = ~ed.pang_in_mr
        self.pang_probe = LogReg().fit(X[keep], y[keep])
        self.ref = None
        self.ref = self._raw(fp32)

    def _mr_correct(self, X, retrain):
        y = self.ed.mr.labels
        correct = np.zeros(len(y), dtype=bool)
        for test, probe in zip(self.folds, self.fold_probes):
            if retrain:
                train = np.setdiff1d(np.arange(len(y)), test)
                probe = LogReg().fit(X[train], y[train])
            correct[test] = probe.predict(X[test]) == y[test]
        return correct

    def _raw(self, emb):
        ed = self.ed
        X = emb[ed.mr_idx]
        raw = {
            "cos": (emb * self.fp32).sum(axis=1) / np.linalg.norm(emb, axis=1) / np.linalg.norm(self.fp32, axis=1),
            "mr_fp32_probe": self._mr_correct(X, retrain=False),
            "mr_retrained": self._mr_correct(X, retrain=True) if self.ref is not None else None,
            "pang": self.pang_probe.predict(emb[ed.pang_idx]) == ed.pang.labels,
        }
        if raw["mr_retrained"] is None:  # FP32 itself: both views coincide
            raw["mr_retrained"] = raw["mr_fp32_probe"]
        for name, (pairs, idx) in ed.pairs.items():
            raw[name] = pair_cos(emb, pairs, idx)
        return raw

    def partial_metrics(self, emb):
        """Metrics over the texts that have an embedding (rows of NaN are skipped): cos, the
        FP32-probe MR accuracy over the MR sentences present, and the Spearman of complete pair sets."""
        have = ~np.isnan(emb).any(axis=1)
        ed = self.ed
        cos = (emb[have] * self.fp32[have]).sum(axis=1) / np.linalg.norm(emb[have], axis=1)
        m = {"texts": int(have.sum()), "cos_mean": float(cos.mean()), "cos_min": float(cos.min())}
        mr_have = have[ed.mr_idx]
        y = ed.mr.labels
        correct = np.zeros(len(y), dtype=bool)
        X = np.where(have[:, None], emb, 0.0)[ed.mr_idx]
        for test, probe in zip(self.folds, self.fold_probes):
            correct[test] = probe.predict(X[test]) == y[test]
        c, r = correct[mr_have], self.ref["mr_fp32_probe"][mr_have]
        m["mr_sentences"] = int(mr_have.sum())
        m["mr_acc_fp32_probe"] = float(c.mean())
        m["mr_acc_fp32_probe_ref"] = float(r.mean())
        m["mr_acc_fp32_probe_diff_ci"] = accuracy_ci(c, r)["diff_ci"]
        pairs, idx = ed.pairs["lee"]
        if have[idx].all():
            m["lee_spearman"] = spearman(pair_cos(emb, pairs, idx), pairs.human)
        return m

    def metrics(self, emb):
        raw = self._raw(emb)
        ref = self.ref
        m = {"cos_mean": float(raw["cos"].mean()), "cos_min": float(raw["cos"].min())}
        for key, metric in (("mr_fp32_probe", "mr_acc_fp32_probe"), ("mr_retrained", "mr_acc_retrained"),
                            ("pang", "pang200_acc")):
            c = raw[key]
            m[metric] = float(c.mean())
            iv = accuracy_ci(c, ref[key])
            m[metric + "_ci"] = iv["ci"]
            m[metric + "_diff_ci"] = iv["diff_ci"]
        for name, metric in (("lee", "lee_spearman"), ("ws353", "ws353_spearman"), ("simlex", "simlex_spearman")):
            pairs, _ = self.ed.pairs[name]
            m[metric] = spearman(raw[name], pairs.human)
            iv = spearman_ci(raw[name], pairs.human, ref[name])
            m[metric + "_ci"] = iv["ci"]
            m[metric + "_diff_ci"] = iv["diff_ci"]
        m["cos_by_set"] = {
            "mr4000": float(raw["cos"][self.ed.mr_idx].mean()),
            "lee": float(raw["cos"][self.ed.pairs["lee"][1]].mean()),
            "words": float(raw["cos"][np.concatenate([self.ed.pairs["ws353"][1], self.ed.pairs["simlex"][1]])].mean()),
        }
        return m
