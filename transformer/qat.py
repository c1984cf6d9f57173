"""Quantization-aware training of MiniLM-L6 by distillation (issue 18): the student's forward IS the pipeline.

Every value the student computes is the bit-exact pipeline's (``pipeline.Pipeline``
with the trained weights, run in numpy through ``models``): the integer operand
words, the PPU outputs, the Softermax probabilities and the host's float ops
(LayerNorm, GELU, residuals) are recorded from one ``Pipeline.forward`` per batch
(its ``taps``), and a torch graph of the same layer carries them with
straight-through gradients: ``exact(surrogate, value)`` returns ``value`` in the
forward pass and passes the gradient to ``surrogate`` (the float op at the
quantized inputs: the GEMM with the fake-quantized weights, exact softmax
attention, torch's LayerNorm/GELU). So no integer formula is written twice (the
words are ``models``' by construction; ``tests/transformer/test_qat.py`` checks
the student's values and words against a fresh ``Pipeline`` on the exported words) and only gradients are
approximate: the STE of every quantizer and the float softmax standing in for
Softermax's derivative.

Weights: re-quantized every step from the float master weights with
``models.vsquant`` max-abs per-vector scales (``Config.wclip="max"``, 0.24 s for all
weights; ``vsquant_mse`` costs 5.6 s a step, GPTQ more); the static coarse scales are the FP32 calibration's (fixed, folded into
g/sh as in every configuration). Teacher: the FP32 numpy forward. Loss: 1 − cos of
the mean-pooled embeddings. Trained: every float parameter (GEMM weights and
biases, LayerNorms, embeddings).
"""

import numpy as np
import torch

from . import minilm
from .minilm import D_HEAD, HEADS, HIDDEN
from .pipeline import Pipeline
from .qat_train import LAYER_FIELDS, QAT, TOP_FIELDS



class _Exact(torch.autograd.Function):
    """Forward: the recorded exact value; backward: the gradient goes to the surrogate unchanged (STE)."""

    @staticmethod
    def forward(ctx, surrogate, value):
        return value

    @staticmethod
    def backward(ctx, grad):
        return grad, None


def exact(surrogate, value):
    return _Exact.apply(surrogate, torch.as_tensor(np.ascontiguousarray(value), dtype=surrogate.dtype))


def qweight_float(qw, name):
    """Dequantized weight [M, K] (unpadded, as the float layer uses it) of operand words ``qw``."""
    M, K = qw.q.shape
    nv = qw.s.shape[1]
    w = (qw.q.reshape(M, nv, K // nv).astype(np.float64) * qw.s[:, :, None]).reshape(M, K) * qw.scale[:, None]
    if name == "wo":  # [384, 12·64] -> [384, 384]: drop the zero columns of the per-head layout
        w = w.reshape(M, HEADS, -1)[:, :, :D_HEAD].reshape(M, HIDDEN)
    return w.astype(np.float32)


class Student(torch.nn.Module):
    """The float master weights (torch parameters) and the pipeline that gives every forward value."""

    def __init__(self, weights, scales, cfg=QAT):
        super().__init__()
        self.cfg, self.scales = cfg, scales
        self.top = torch.nn.ParameterDict({k: torch.nn.Parameter(torch.tensor(getattr(weights, k)))
                                           for k in TOP_FIELDS})
        self.layers = torch.nn.ModuleList(
            torch.nn.ParameterDict({k: torch.nn.Parameter(torch.tensor(getattr(lw, k))) for k in LAYER_FIELDS})
            for lw in weights.layers)

    def weights(self):
        """The current master weights as ``minilm.Weights`` (numpy float32)."""
        def arr(p):
            return p.detach().numpy().copy()
        return minilm.Weights(**{k: arr(self.top[k]) for k in TOP_FIELDS},
                              layers=tuple(minilm.Layer(**{k: arr(p[k]) for k in LAYER_FIELDS}) for p in self.layers))

    def pipeline(self, taps=None, selfcheck=False):
        return Pipeline(self.cfg, self.scales, weights=self.weights(), taps=taps, selfcheck=selfcheck)

    def forward(self, batch, pipe=None):
        """(embeddings [B, 384] as torch, with STE gradients; the pipeline that computed them)."""
        rec = {}
        pipe = pipe or self.pipeline()
        pipe.taps = lambda layer, point, x: rec.__setitem__((layer, point), np.asarray(x, dtype=np.float32))
        pooled = pipe.forward(batch)  # every value below is one of this run's
        idx = torch.as_tensor(np.flatnonzero(batch.mask.reshape(-1)))
        t = self.top
        pos = np.broadcast_to(np.arange(batch.L), batch.ids.shape)[batch.mask]
        x = t["word"][torch.as_tensor(batch.ids[batch.mask], dtype=torch.long)] + t["pos"][torch.as_tensor(pos)] + t["type0"]
        h = exact(_ln(x, t["ln_g"], t["ln_b"]), rec[(0, "x_qkv")])
        for l, p in enumerate(self.layers):
            h = self._layer(pipe, rec, l, p, batch, idx, h)
        lengths = torch.as_tensor(batch.lengths)
        seg = torch.repeat_interleave(torch.arange(len(lengths)), lengths)
        pool = torch.zeros(len(lengths), HIDDEN, dtype=h.dtype).index_add_(0, seg, h) / lengths[:, None]
        return exact(pool, pooled), pipe

    def _layer(self, pipe, rec, l, p, batch, idx, h):
        def wq(name):  # fake-quantized weight: the words' value forward, the master weight's gradient
            return pipe.qweight(l, name)

        def host(x, point):  # the host quantizer's words' value
            return exact(x, pipe.act_in(x.detach().numpy(), l, point).dequant())

        qk, v = wq("qk"), wq("v")
        wqk = exact(torch.cat([p["wq"], p["wk"]]), qweight_float(qk, "qk"))
        x = host(h, "x_qkv")
        y = x @ wqk.T
        q = exact(y[:, :HIDDEN] + p["bq"], rec[(l, "q")])
        k = exact(y[:, HIDDEN:], rec[(l, "k")])
        vv = exact(x @ exact(p["wv"], qweight_float(v, "v")).T, rec[(l, "v")])
        ctx = exact(_attention(batch, idx, q, k, vv) + p["bv"], rec[(l, "ctx")])
        a = exact(ctx @ exact(p["wo"], qweight_float(wq("wo"), "wo")).T + p["bo"], rec[(l, "wo_out")])
        h1 = exact(_ln(h + a, p["ln1_g"], p["ln1_b"]), rec[(l, "x_ffn1")])
        f = exact(host(h1, "x_ffn1") @ exact(p["w1"], qweight_float(wq("w1"), "w1")).T + p["b1"],
                  rec[(l, "ffn1_out")])
        g = exact(torch.nn.functional.gelu(f), rec[(l, "x_ffn2")])
        o = exact(host(g, "x_ffn2") @ exact(p["w2"], qweight_float(wq("w2"), "w2")).T + p["b2"],
                  rec[(l, "ffn2_out")])
        out = _ln(h1 + o, p["ln2_g"], p["ln2_b"])
        return exact(out, rec[(l + 1, "x_qkv")]) if (l + 1, "x_qkv") in rec else out


def _ln(x, g, b):
    return torch.nn.functional.layer_norm(x, (HIDDEN,), g, b, eps=minilm.LN_EPS)


def _attention(batch, idx, q, k, v):
    """Float softmax attention (the gradient's stand-in for QKᵀ + Softermax + P·V) of real-token q, k, v."""
    B, L = batch.ids.shape

    def heads(x):
        full = torch.zeros(B * L, HIDDEN, dtype=x.dtype).index_copy(0, idx, x)
        return full.reshape(B, L, HEADS, D_HEAD).transpose(1, 2)

    s = heads(q) @ heads(k).transpose(-1, -2) / D_HEAD ** 0.5
    s = s.masked_fill(~torch.as_tensor(batch.mask)[:, None, None, :], float("-inf"))
    ctx = (torch.softmax(s, dim=-1) @ heads(v)).transpose(1, 2).reshape(B * L, HIDDEN)
    return ctx[idx]


def cosine_loss(student, teacher):
    """1 − cos(student, teacher), averaged over the batch (teacher: FP32 embeddings, numpy)."""
    t = torch.as_tensor(teacher, dtype=student.dtype)
    return (1 - torch.nn.functional.cosine_similarity(student, t, dim=-1)).mean()


__all__ = ["QAT", "Student", "cosine_loss", "exact"]
