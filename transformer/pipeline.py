"""MiniLM through the accelerator's numerics: every matrix product as a case of ``models``.

Mapping of one BERT layer (numerics.md §3; ``VEC = 64``, ``LANES = 16``):

======== =============================== ================================ ============================
class    GEMM (A · B)                    B operand comes from             output (out_mode)
======== =============================== ================================ ============================
qkv      [Wq; Wk] · Xᵀ  (M = 768)        host quantizer (after LayerNorm) int4_vsq → QKᵀ
qkv      Wv · Xᵀ                          (same words)                     int8, per-channel scale → P·V
scores   K_h · Q_hᵀ (d = 32 padded to 64) Q words of the QK GEMM           softmax (Q5.2 in, Q1.7 out)
context  V_hᵀ · P  (int8 mode)           the softmax's probabilities      int4_vsq, one head per word
wo       Wo · ctxᵀ (K = 12·64, padded)    the context GEMM's words         int8_vsq → host (residual, LN)
ffn1     W1 · Xᵀ                          host quantizer (after LayerNorm) int8_vsq → host (GELU)
ffn2     W2 · Gᵀ                          host quantizer (after GELU)      int8_vsq → host (residual, LN)
======== =============================== ================================ ============================

* A head has 32 dimensions and a vector 64 elements, so reductions over a
  head are padded with zeros, which is exact: in QKᵀ the Q/K words (two heads
  per word, one scale) are masked to the head; P·V produces one word per head
  (32 values, 32 zero rows), and Wo's reduction is laid out the same way (K =
  12 × 64 with zero columns), so every context word keeps its own scale.
* Sequences are padded to a multiple of 32 (the softmax's LANES = 16 and the
  int8 P·V's V = 32); padded keys get PPU bias −32768, i.e. the Q5.2 score
  −31.75, whose Softermax term is exactly 0 (checked: ``mask_leaks``).
* K's bias is dropped (it adds a per-query constant to every score: softmax
  invariant, exact); V's bias is added by the P·V PPU (ctx = P·V + b_v, exact
  when the probabilities sum to 1), so neither eats operand range.
* Every coarse scale is static: weights' per-channel scales offline,
  activations' per-tensor scales from ``calibrate``; all of them fold into the
  PPU's ``g``/``sh`` (and the bias into ``bias``) per GEMM:
  ``g[m]·2^-sh = F[m]`` with F = (real value of one acc unit) / (output unit).

The linear layers call ``models.run_case`` on the literal case dict. The
attention GEMMs are thousands of small cases (one per sentence and head);
they run batched with the same arithmetic (``attention.py``), and a random
slice of every batched call is re-run through ``models.run_case`` and
compared bit for bit (``cases.SelfCheck``).

The modules, one job each: ``config`` (schemes, ``Config``), ``hostquant``
(the host's quantizers, ``QAct``), ``weightquant`` (offline weights, GPTQ),
``cases`` (scale folding, the case dict, the self-check), ``attention`` (the
batched attention GEMMs), this one (the forward pass) and ``cost`` (MACs and
lane steps of a layer).

Quantization points, each one method of ``Pipeline`` (a quantization-aware
variant overrides these): ``act_in`` (a float activation -> operand words, the
host quantizer), ``qweight`` (a weight matrix -> operand words, offline) and
the GEMMs (``linear``, ``attention``), whose PPU quantizes the output. Two
hooks observe without changing anything: ``taps(layer, point, float array)``
at every quantization point (calibration uses it) and ``on_gemm(layer, name,
slices)`` with every GEMM the pipeline runs as ``cases.Slices`` (names:
``qk``, ``v``, ``wo``, ``w1``, ``w2``, ``scores``, ``context``; export_cases
uses it).

Mixed precision (``Config.mode8``): the named linear classes with a
host-quantized B operand (qkv, ffn1, ffn2) run in the datapath's 8-bit mode.
The datapath has one 8-bit operand mode, ``int8`` (numerics.md §2: V = VEC/2,
no per-vector scales — the scale field is ignored outside int4_vsq; an
``int8_vsq`` *operand* mode does not exist, int8_vsq is an output format only).
So the weights are INT8 with a per-output-channel scale (folded into g, free;
GPTQ-rounded where the input Hessian is known) and the host quantizes the
activation to INT8 with a static per-tensor scale. The GEMM's out_mode is the
vsq4 one (int4_vsq Q/K words, int8 V, int8_vsq to the host), and it still goes
through ``models.run_case``. An INT8 step does VEC/2 MACs where an INT4 step
does VEC, so those GEMMs take twice the lane cycles (``cost.layer_steps``).
"""

import numpy as np

from models.contract import OUT_KEYS, VSQ_OUT_MODES, v_of
from models.numerics import PPU_BITS, out_group, sat
from models.ppu import output_stage

from . import minilm
from .attention import context, float_context, float_scores, scores_probs
from .cases import SelfCheck, Slices, fold, gemm_case, int_bias, run_case_chunked
from .config import HOST_POINT_CLASS, LANES, PARAMS, VEC, WEIGHT_CLASS
from .hostquant import QAct, as_float, host_quant
from .minilm import HIDDEN
from .weightquant import quantize_weight, quantize_weight8, stack_weights, wo_padded


class Pipeline:
    """The accelerator forward pass of one configuration (see module docstring).

    ``scales`` maps a calibration point to its static coarse scale (from
    ``calibrate.scales_for``); ``taps``, if given, is called with (layer,
    point, float array) at every quantization point — used by calibration;
    ``on_gemm``, if given, with (layer, name, ``cases.Slices``) for every GEMM
    that runs the hardware's arithmetic (a linear one before it runs, a batched
    attention call after; not the float-scale-product ablation's int4_vsq GEMMs
    and attention) — used by export_cases.
    """

    def __init__(self, cfg, scales=None, weights=None, taps=None, selfcheck=True, on_gemm=None):
        self.cfg = cfg
        self.sch = cfg.sch
        self.w = weights or minilm.load_weights()
        self.scales = scales or {}
        self.taps = taps
        self.on_gemm = on_gemm
        self.check = SelfCheck() if selfcheck else None
        self.stats = {"mask_leaks": 0, "bias_clipped": 0, "gemms": 0, "batched_gemms": 0}
        self._qw = {}

    # -- helpers ------------------------------------------------------------
    def tap(self, layer, point, x):
        if self.taps is not None:
            self.taps(layer, point, as_float(x))

    def scale(self, layer, point):
        return self.scales[f"{layer}.{point}"]

    def order(self, layer, point):
        """Channel order of a host-quantized operand (None: natural). A permutation of the reduction
        dimension applied to both operands (the activation's columns, the weight's columns) is pure
        layout: the GEMM's result is the same sum over the same vectors' products."""
        return self.scales.get(f"{layer}.{point}/order")

    # -- quantization points -----------------------------------------------
    def qweight(self, layer, name):
        """Operand words of weight ``name`` (qk, v, wo, w1, w2) of a layer, quantized once (weightquant)."""
        key = (layer, name)
        if key not in self._qw:
            lw = self.w.layers[layer]
            sch = self.sch
            wc = self.cfg.wclip
            point = {"qk": "x_qkv", "v": "x_qkv", "w1": "x_ffn1", "w2": "x_ffn2"}.get(name)
            order = self.order(layer, point) if point else None

            H = self.scales.get(f"{layer}.{point}/hessian") if point else None
            if H is not None and order is not None:
                H = H[np.ix_(order, order)]

            def cols(w):
                return w if order is None else np.ascontiguousarray(w[:, order])

            if WEIGHT_CLASS[name] in self.cfg.mode8:  # int8 mode: INT8 per-channel weights
                def quant(w, sch, wc, H=None):
                    return quantize_weight8(w, wc, H)
            else:
                quant = quantize_weight
            if name == "qk":
                qw = stack_weights(quant(cols(lw.wq), sch, wc, H), quant(cols(lw.wk), sch, wc, H))
            elif name == "wo":
                qw = quant(wo_padded(lw.wo) if sch.vsq else lw.wo, sch, wc)
            else:
                qw = quant(cols({"v": lw.wv, "w1": lw.w1, "w2": lw.w2}[name]), sch, wc, H)
            self._qw[key] = qw
        return self._qw[key]

    def act_in(self, x, layer, point, heads=False):
        """B operand words: the producer's words if it was a GEMM, else the host quantizer."""
        if isinstance(x, QAct):
            return x
        sch = self.sch
        order = self.order(layer, point)
        if order is not None:
            x = x[:, order]
        if HOST_POINT_CLASS.get(point) in self.cfg.mode8:  # int8 mode: INT8, static per-tensor scale
            return host_quant(x, "tensor", 8, self.scale(layer, point), vo=v_of("int8", PARAMS))
        return host_quant(x, sch.acts, sch.bits, self.scale(layer, point), heads=heads and sch.vsq)

    def host_out_mode(self):
        """out_mode of a GEMM whose output the host reads (wo, ffn1, ffn2)."""
        sch = self.sch
        if self.cfg.host_bits == 0:
            return "acc"
        if sch.vsq:
            return "int8_vsq" if self.cfg.host_bits == 8 else "int4_vsq"
        return "int8" if self.cfg.host_bits == 8 else "int4"

    # -- GEMMs ----------------------------------------------------------------
    def gemm(self, layer, name, slices):
        """Every GEMM of the hardware's arithmetic passes here before it runs (or, batched, after)."""
        if self.on_gemm is not None:
            self.on_gemm(layer, name, slices)

    def batched(self, layer, name, slices):
        """After a batched attention call: count it, show it to ``on_gemm``, self-check one random slice."""
        self.stats["batched_gemms"] += 1
        if self.cfg.bit_exact:
            self.gemm(layer, name, slices)
            if self.check is not None:
                self.check(slices)

    def linear(self, qw, x, bias, out_mode, out_scale, mode=None, layer=None, name=None):
        """One linear GEMM through ``models.run_case`` (datapath ``mode``: the scheme's unless given).

        Returns the output as a QAct (token-major), or for out_mode 'acc' the
        float value the host computes from the raw accumulator. ``layer`` and
        ``name`` say which GEMM it is (to ``on_gemm``).
        """
        mode = mode or self.sch.mode
        out_scale = np.broadcast_to(np.asarray(out_scale, dtype=np.float64), qw.scale.shape)
        F = qw.scale * float(x.scale) * (256.0 if mode == "int4_vsq" else 1.0) / out_scale
        if self.cfg.float_scale_product and mode == "int4_vsq":
            acc = self._float_sp_acc(qw, x)
            return self._finish(acc, F, bias, out_mode, out_scale)
        g, sh = fold(F)
        b = np.zeros(len(F), dtype=np.int16) if bias is None else int_bias(bias, out_scale, self.stats)
        b_s = x.s.T if x.s is not None else np.zeros((x.q.shape[1] // v_of(mode, PARAMS), x.q.shape[0]), np.uint8)
        case = gemm_case(mode, out_mode, qw.q, qw.s, x.q.T, b_s, g, b, sh)
        self.stats["gemms"] += 1
        self.gemm(layer, name, Slices.one(case))
        out = run_case_chunked(case)
        if out_mode == "acc":
            y = out["acc"].T * (F * out_scale).astype(np.float32)
            return y + bias.astype(np.float32) if bias is not None else y
        return self._qact(out, out_mode, out_scale)

    def _float_sp_acc(self, qw, x):
        """Ablation accumulator: the int4_vsq GEMM with the unrounded scale product sA·sB/256."""
        V = VEC
        a = qw.q.astype(np.float64)
        b = x.q.T.astype(np.float64)
        acc = np.zeros((a.shape[0], b.shape[1]))
        for k in range(a.shape[1] // V):
            d = a[:, k * V:(k + 1) * V] @ b[k * V:(k + 1) * V]
            acc += d * (qw.s[:, k, None].astype(np.float64) * x.s[None, :, k].astype(np.float64) / 256.0)
        return acc

    def _finish(self, acc, F, bias, out_mode, out_scale):
        """Ablation output stage for a float accumulator: exact PPU scale, then the PPU's output stage."""
        if out_mode == "acc":
            y = (acc * (F * out_scale)[:, None]).T.astype(np.float32)
            return y + bias.astype(np.float32) if bias is not None else y
        y = acc * F[:, None]
        if bias is not None:
            y = y + (np.asarray(bias, dtype=np.float64) / out_scale)[:, None]
        y = sat(np.rint(y).astype(np.int64), PPU_BITS)
        return self._qact(output_stage(y, out_mode, VEC, LANES), out_mode, out_scale)

    def _qact(self, out, out_mode, out_scale):
        """A GEMM's outputs (case keys, [M, N]) as token-major words with their coarse scale."""
        scale = np.asarray(out_scale, dtype=np.float64)
        if np.all(scale == scale.flat[0]):
            scale = np.float64(scale.flat[0])
        keys = OUT_KEYS[out_mode]
        q = np.ascontiguousarray(out[keys[0]].T)
        if out_mode in VSQ_OUT_MODES:
            vo, _ = out_group(out_mode, VEC)
            return QAct(q, np.ascontiguousarray(out[keys[1]].T), scale, vo)
        return QAct(q, None, scale)

    def attention(self, layer, batch, Q, K, V):
        """Context [ntok, 384] (QAct if P·V is quantized) of one layer: QKᵀ, softmax and P·V, each quantized
        (``attention.scores_probs`` / ``context``) or FP32 as its class says."""
        cfg = self.cfg
        lw = self.w.layers[layer]
        if cfg.q("scores"):
            probs, slices = scores_probs(cfg, batch, self.act_in(Q, layer, "q"), self.act_in(K, layer, "k"),
                                         self.stats)  # [B, H, Lk, Lq] uint8
            self.batched(layer, "scores", slices)
            pf = None
        else:
            pf, probs = float_scores(batch, as_float(Q), as_float(K))
        if not cfg.q("context"):
            return float_context(batch, pf, probs, as_float(V), lw.bv)
        # V from a GEMM, or the host quantizer: int8, static per-channel (or per-tensor) scale
        Vw = V if isinstance(V, QAct) else host_quant(V, "tensor", 8, self.scale(layer, "v"))
        ctx, slices = context(cfg, batch, probs, Vw, self.scale(layer, "ctx"), lw.bv, self.stats)
        self.batched(layer, "context", slices)
        return ctx

    # -- one layer, one batch ----------------------------------------------
    def host_linear(self, l, name, x, point, w, b, out_point):
        """A GEMM whose output the host reads (wo, ffn1, ffn2), as float; FP32 if its class is not quantized."""
        cls = WEIGHT_CLASS[name]
        if self.cfg.q(cls):
            xw = self.act_in(x, l, point, heads=name == "wo")
            y = as_float(self.linear(self.qweight(l, name), xw, b, self.host_out_mode(), self.scale(l, out_point),
                                     self.cfg.mode(cls), layer=l, name=name))
        else:
            y = as_float(x) @ w.T + b
        self.tap(l, out_point, y)
        return y

    def layer(self, l, batch, h):
        cfg, sch = self.cfg, self.sch
        lw = self.w.layers[l]
        self.tap(l, "x_qkv", h)
        if cfg.q("qkv"):
            x = self.act_in(h, l, "x_qkv")
            sq, sk = self.scale(l, "q"), self.scale(l, "k")
            qk = self.linear(self.qweight(l, "qk"), x, np.concatenate([lw.bq, np.zeros(HIDDEN)]),
                             sch.link_out, np.concatenate([np.full(HIDDEN, sq), np.full(HIDDEN, sk)]), cfg.mode("qkv"),
                             layer=l, name="qk")
            nv = qk.q.shape[1] // 2 // qk.vo if qk.s is not None else None
            Q = QAct(qk.q[:, :HIDDEN], qk.s[:, :nv] if nv else None, np.float64(sq), qk.vo)
            K = QAct(qk.q[:, HIDDEN:], qk.s[:, nv:] if nv else None, np.float64(sk), qk.vo)
            V = self.linear(self.qweight(l, "v"), x, None, "int8", self.scale(l, "v"), cfg.mode("qkv"),
                            layer=l, name="v")
        else:
            Q = h @ lw.wq.T + lw.bq
            K = h @ lw.wk.T  # K's bias is softmax-invariant
            V = h @ lw.wv.T  # V's bias is added after P·V
        self.tap(l, "q", Q)
        self.tap(l, "k", K)
        self.tap(l, "v", V)
        ctx = self.attention(l, batch, Q, K, V)
        self.tap(l, "ctx", ctx)
        a = self.host_linear(l, "wo", ctx, "ctx", lw.wo, lw.bo, "wo_out")
        h1 = minilm.layer_norm(h + a, lw.ln1_g, lw.ln1_b)
        self.tap(l, "x_ffn1", h1)
        f = self.host_linear(l, "w1", h1, "x_ffn1", lw.w1, lw.b1, "ffn1_out")
        gl = minilm.gelu(f)
        self.tap(l, "x_ffn2", gl)
        o = self.host_linear(l, "w2", gl, "x_ffn2", lw.w2, lw.b2, "ffn2_out")
        return minilm.layer_norm(h1 + o, lw.ln2_g, lw.ln2_b)

    def forward(self, batch):
        """Mean-pooled embeddings [B, 384] of one batch."""
        h = minilm.embed(self.w, batch)
        for l in range(minilm.LAYERS):
            h = self.layer(l, batch, h)
        return minilm.mean_pool(batch, h)

    def encode_tokens(self, token_lists, max_tokens=8192):
        return minilm.encode_tokens(token_lists, forward=self.forward, max_tokens=max_tokens)
