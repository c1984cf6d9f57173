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
from .calibrate import POINTS, vsq_format
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

    def __init__(self, weights, scales, cfg=QAT, lsq=False):
        super().__init__()
        self.cfg, self.scales = cfg, scales
        # LSQ-style learnable coarse scales: log γ of every VS-Quant point (V is per channel int8: fixed)
        self.log_s = torch.nn.ParameterDict(
            {f"{l}_{p}": torch.nn.Parameter(torch.tensor(float(np.log(scales[f"{l}.{p}"])), dtype=torch.float64))
             for l in range(minilm.LAYERS) for p in POINTS if lsq and vsq_format(p) is not None})
        self.hidden = []  # the last forward's layer outputs (torch, real tokens): the intermediate-layer loss
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

    def current_scales(self):
        """The calibration's scales with the learned ones (LSQ) in place: what the pipeline folds into g/sh."""
        out = dict(self.scales)
        out.update({k.replace("_", ".", 1): float(torch.exp(v.detach())) for k, v in self.log_s.items()})
        return out

    def pipeline(self, taps=None, selfcheck=False):
        return Pipeline(self.cfg, self.current_scales(), weights=self.weights(), taps=taps, selfcheck=selfcheck)

    def lsq(self, pre, value, l, point):
        """``pre`` (the surrogate before quantizing) plus LSQ's scale gradient (Esser et al., ICLR 2020):
        ∂x̂/∂γ = (x̂ − x)/γ in range, x̂/γ where the largest per-vector scale (255) clips. Value unchanged."""
        key = f"{l}_{point}"
        if key not in self.log_s:
            return pre
        _, _, qmax = vsq_format(point)
        g = torch.exp(self.log_s[key])
        g0 = g.detach()
        v = torch.as_tensor(np.ascontiguousarray(value), dtype=pre.dtype)
        x = pre.detach()
        c = torch.where(x.abs() > 255 * qmax * g0, v, v - x)
        return pre + (g / g0 - 1).to(pre.dtype) * c

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
        self.hidden = []
        for l, p in enumerate(self.layers):
            h = self._layer(pipe, rec, l, p, batch, idx, h)
            if l + 1 < len(self.layers):  # the last layer's output is only seen pooled (exact there)
                self.hidden.append(h)
        lengths = torch.as_tensor(batch.lengths)
        seg = torch.repeat_interleave(torch.arange(len(lengths)), lengths)
        pool = torch.zeros(len(lengths), HIDDEN, dtype=h.dtype).index_add_(0, seg, h) / lengths[:, None]
        return exact(pool, pooled), pipe

    def _layer(self, pipe, rec, l, p, batch, idx, h):
        def wq(name):  # fake-quantized weight: the words' value forward, the master weight's gradient
            return pipe.qweight(l, name)

        def host(x, point):  # the host quantizer's words' value
            v = pipe.act_in(x.detach().numpy(), l, point).dequant()
            return exact(self.lsq(x, v, l, point), v)

        def ppu(pre, point):  # a GEMM's output words' value
            return exact(self.lsq(pre, rec[(l, point)], l, point), rec[(l, point)])

        qk, v = wq("qk"), wq("v")
        wqk = exact(torch.cat([p["wq"], p["wk"]]), qweight_float(qk, "qk"))
        x = host(h, "x_qkv")
        y = x @ wqk.T
        q = ppu(y[:, :HIDDEN] + p["bq"], "q")
        k = ppu(y[:, HIDDEN:], "k")
        vv = exact(x @ exact(p["wv"], qweight_float(v, "v")).T, rec[(l, "v")])
        ctx = ppu(_attention(batch, idx, q, k, vv) + p["bv"], "ctx")
        a = ppu(ctx @ exact(p["wo"], qweight_float(wq("wo"), "wo")).T + p["bo"], "wo_out")
        h1 = exact(_ln(h + a, p["ln1_g"], p["ln1_b"]), rec[(l, "x_ffn1")])
        f = ppu(host(h1, "x_ffn1") @ exact(p["w1"], qweight_float(wq("w1"), "w1")).T + p["b1"], "ffn1_out")
        g = exact(torch.nn.functional.gelu(f), rec[(l, "x_ffn2")])
        o = ppu(host(g, "x_ffn2") @ exact(p["w2"], qweight_float(wq("w2"), "w2")).T + p["b2"], "ffn2_out")
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


def hidden_loss(hidden, teacher):
    """Intermediate-layer term: mean over layers 0..4 (their outputs are exact values) of ‖h_s − h_t‖² / ‖h_t‖² (teacher: FP32 layer outputs)."""
    terms = [((h - torch.as_tensor(t, dtype=h.dtype)) ** 2).sum() / float((t.astype(np.float64) ** 2).sum())
             for h, t in zip(hidden, teacher)]
    return sum(terms) / len(terms)


def cosine_loss(student, teacher):
    """1 − cos(student, teacher), averaged over the batch (teacher: FP32 embeddings, numpy)."""
    t = torch.as_tensor(teacher, dtype=student.dtype)
    return (1 - torch.nn.functional.cosine_similarity(student, t, dim=-1)).mean()


__all__ = ["QAT", "Student", "cosine_loss", "exact", "hidden_loss"]
