"""The attention GEMMs of one batch, every sentence and head at once.

QKᵀ (out_mode softmax) and P·V (int8 mode) are thousands of small cases (one
per sentence and head); they run batched with the same arithmetic as
``models`` (``batched_acc`` is ``models.gemm.gemm_acc`` over a batch axis, the
PPU and its output stage are ``models.ppu`` / ``output_stage``). Each call
returns its result and its ``Slices``: every (sentence, head) GEMM as the
case of ``models.run_case`` it stands for, which the pipeline's self-check
and GEMM hook use. The FP32 variants (a class not quantized) are minilm's.
"""

import math

import numpy as np

import models
from models.contract import VSQ_OUT_MODES, OUT_KEYS, v_of
from models.gemm import ACC_MAX, ACC_MIN, FLOAT32_EXACT_DMAX, P8_MAX, scale_product
from models.numerics import PPU_BITS, sat
from models.ppu import output_stage
from models.softmax import PROB_MAX

from . import minilm
from .cases import BIAS_MIN, Slices, fold, gemm_case, int_bias
from .config import LANES, PARAMS, VEC
from .hostquant import QAct
from .minilm import D_HEAD, HEADS, HIDDEN

LOG2E = 1.0 / math.log(2.0)
MASK_BIAS = BIAS_MIN  # PPU bias of a padded key: the Q5.2 score -31.75, whose Softermax term is exactly 0
Q17_ONE = 1 << 7  # probability 1.0 in the softmax's Q1.7 output


def batched_acc(mode, a_q, a_s, b_q, b_s, float_sp=False):
    """acc [G, M, N] of G GEMMs a_q [G, M, K] · b_q [G, K, N]: ``models.gemm.gemm_acc`` batched.

    Same exactness argument and the same per-step saturation; the result is
    float (integer-valued). ``float_sp`` is the unrounded-scale-product ablation.
    """
    V = v_of(mode, PARAMS)
    G, M, K = a_q.shape
    N = b_q.shape[2]
    vsq = mode == "int4_vsq"
    amax = max(-int(a_q.min(initial=0)), int(a_q.max(initial=0)))
    bmax = max(-int(b_q.min(initial=0)), int(b_q.max(initial=0)))
    dmax = V * amax * bmax * (P8_MAX if vsq else 1)
    dtype = np.float32 if dmax <= FLOAT32_EXACT_DMAX and not float_sp else np.float64
    a_f = a_q.astype(dtype)
    b_f = b_q.astype(dtype)
    acc = np.zeros((G, M, N), dtype=dtype)
    for k in range(K // V):
        d = np.matmul(a_f[:, :, k * V:(k + 1) * V], b_f[:, k * V:(k + 1) * V, :])
        if vsq:
            if float_sp:
                d *= a_s[:, :, k, None].astype(np.float64) * b_s[:, None, k, :] / 256.0
            else:
                d *= scale_product(a_s[:, :, k, None], b_s[:, None, k, :], np.uint16)
        acc += d
        if (k + 1) * dmax > ACC_MAX:
            np.clip(acc, ACC_MIN, ACC_MAX, out=acc)
    return acc


def to_q17(p):
    """Float probabilities rounded to the softmax's Q1.7 output (saturated like Softermax's)."""
    return np.clip(np.rint(p * Q17_ONE), 0, PROB_MAX).astype(np.uint8)


def head_operands(batch, x, mode):
    """Q or K words [N, 384] -> per-head operands [B, H, L, Vk] and scales [B, H, L] (zero padding)."""
    B, L = batch.ids.shape
    q = batch.scatter(x.q)  # [B, L, 384]
    if mode == "int8":  # V = 32 = d_head: no padding
        return q.reshape(B, L, HEADS, D_HEAD).transpose(0, 2, 1, 3), None
    ops = np.zeros((B, HEADS, L, VEC), dtype=np.int8)
    qh = q.reshape(B, L, HEADS, D_HEAD).transpose(0, 2, 1, 3)
    for h in range(HEADS):  # head h sits in half h%2 of word h//2; the other half is zero
        half = (h % 2) * D_HEAD
        ops[:, h, :, half:half + D_HEAD] = qh[:, h]
    s = None
    if x.s is not None:
        sw = batch.scatter(x.s)  # [B, L, 6]
        s = np.repeat(sw, 2, axis=2).transpose(0, 2, 1)  # [B, H, L]
    return ops, s


def scores_probs(cfg, batch, Q, K, stats):
    """(probabilities uint8 [B, H, Lk, Lq] (Q1.7) of the quantized QKᵀ with out_mode softmax, Slices)."""
    B, L = batch.ids.shape
    mode = cfg.sch.mode
    kq, ks = head_operands(batch, K, mode)
    qq, qs = head_operands(batch, Q, mode)
    G = B * HEADS
    a_q = kq.reshape(G, L, -1)
    b_q = qq.reshape(G, L, -1).transpose(0, 2, 1)
    a_s = ks.reshape(G, L, 1) if ks is not None else None
    b_s = qs.reshape(G, 1, L) if qs is not None else None
    acc = batched_acc(mode, a_q, a_s, b_q, b_s, cfg.float_scale_product)  # [G, Lk, Lq]
    real = float(Q.scale) * float(K.scale) * (256.0 if mode == "int4_vsq" else 1.0)  # acc unit -> q·k
    F = 4.0 * LOG2E / math.sqrt(D_HEAD) * real  # -> Q5.2 base-2 units
    g, sh = fold(np.array([F]))
    mask_bias = np.where(batch.mask, 0, MASK_BIAS).astype(np.int16)  # [B, Lk]
    # Real queries only: columns (token, head) with the keys along rows.
    qmask = batch.mask
    accq = acc.reshape(B, HEADS, L, L).transpose(0, 3, 1, 2)[qmask]  # [Nt, H, Lk]
    seg = np.repeat(np.arange(B), batch.lengths)
    if cfg.softmax == "hw":
        cols = accq.reshape(-1, L).T  # [Lk, Nt·H]: one column per (token, head), sentence by sentence
        if cfg.float_scale_product:  # ablation: the exact scale, rounded once
            bias = np.repeat(mask_bias[seg], HEADS, axis=0).T  # [Lk, Nt·H]
            y = sat(np.rint(cols * F).astype(np.int64) + bias, PPU_BITS)
        else:  # the PPU of each sentence's GEMMs (its padded keys' bias)
            ends = np.cumsum(batch.lengths) * HEADS
            y = np.concatenate([models.ppu(cols[:, e - n * HEADS:e], np.full(L, g[0]), mask_bias[b], sh, False)
                                for b, (n, e) in enumerate(zip(batch.lengths, ends))], axis=1)
        p = output_stage(y, "softmax", VEC, LANES)["probs"].T.reshape(accq.shape)
        leaks = p[np.broadcast_to(~batch.mask[seg][:, None, :], p.shape)]
        stats["mask_leaks"] += int(np.count_nonzero(leaks))
    else:
        p = to_q17(minilm.masked_softmax(accq * (real / math.sqrt(D_HEAD)), batch.mask[seg][:, None, :]))
    probs = np.zeros((B, L, HEADS, L), dtype=np.uint8)
    probs[qmask] = p
    probs = probs.transpose(0, 2, 3, 1)  # [B, H, Lk, Lq]

    def case(i):
        return gemm_case(mode, "softmax", a_q[i], a_s[i] if a_s is not None else np.zeros((L, 1)),
                         b_q[i], b_s[i] if b_s is not None else np.zeros((1, L)), [g[0]] * L, mask_bias[i // HEADS], sh)

    def expect(i):
        b, h = divmod(i, HEADS)
        if cfg.softmax != "hw":  # the float softmax is not the hardware's: only the accumulator is checked
            return {"acc": acc[i].astype(np.int32)}, None
        cols = np.flatnonzero(batch.mask[b])
        return {"acc": acc[i][:, cols].astype(np.int32), "probs": probs[b, h][:, cols]}, cols

    return probs, Slices(G, case, expect)


def context(cfg, batch, probs, V, ctx_scale, bv, stats):
    """(context words (QAct) of the quantized P·V (int8 mode) of every head, Slices)."""
    B, L = batch.ids.shape
    G = B * HEADS
    v = batch.scatter(V.q).reshape(B, L, HEADS, D_HEAD).transpose(0, 2, 3, 1)  # [B, H, 32, Lk]
    out_mode = cfg.sch.link_out
    rows = VEC if out_mode == "int4_vsq" else D_HEAD
    a_q = np.zeros((B, HEADS, rows, L), dtype=np.int8)
    a_q[:, :, :D_HEAD] = v
    a_q = a_q.reshape(G, rows, L)
    b_q = probs.reshape(G, L, L).astype(np.int8)
    acc = batched_acc("int8", a_q, None, b_q, None)  # [G, rows, Lq]
    vscale = np.broadcast_to(np.asarray(V.scale, dtype=np.float64), (HIDDEN,)).reshape(HEADS, D_HEAD)
    F = np.zeros((HEADS, rows))
    F[:, :D_HEAD] = vscale / 128.0 / ctx_scale
    g, sh = fold(F)
    bias = np.zeros((HEADS, rows), dtype=np.int16)
    bias[:, :D_HEAD] = int_bias(bv, ctx_scale, stats).reshape(HEADS, D_HEAD)
    # Real queries only.
    accq = acc.reshape(B, HEADS, rows, L).transpose(0, 3, 1, 2)[batch.mask]  # [Nt, H, rows]
    Nt = accq.shape[0]
    cols = accq.transpose(1, 2, 0).reshape(HEADS * rows, Nt)  # every head's rows, one PPU row each
    y = models.ppu(cols, g.reshape(-1), bias.reshape(-1), sh, False)
    out = output_stage(y, out_mode, VEC, LANES)  # int4_vsq: one word (Vo = 64 rows) per head and token
    q_key = OUT_KEYS[out_mode][0]
    if out_mode in VSQ_OUT_MODES:
        qa = QAct(np.ascontiguousarray(out[q_key].T), np.ascontiguousarray(out[OUT_KEYS[out_mode][1]].T),
                  np.float64(ctx_scale), VEC, heads=True)
    else:
        qa = QAct(np.ascontiguousarray(out[q_key].T), None, np.float64(ctx_scale))
    kv = v_of("int8", PARAMS)

    def case(i):
        h = i % HEADS
        return gemm_case("int8", out_mode, a_q[i], np.zeros((rows, L // kv)), b_q[i], np.zeros((L // kv, L)),
                         g[h], bias[h], sh)

    def expect(i):
        b, h = divmod(i, HEADS)
        tok = np.flatnonzero(batch.mask[b])
        start = int(batch.lengths[:b].sum())
        exp = {"acc": acc[i][:, tok].astype(np.int32)}
        if out_mode == "int4_vsq":
            exp["out_q"] = qa.q[start:start + len(tok), h * VEC:(h + 1) * VEC].T
            exp["out_s"] = qa.s[start:start + len(tok), h][None, :]
        else:
            exp["out_q"] = qa.q[start:start + len(tok), h * D_HEAD:(h + 1) * D_HEAD].T
        return exp, tok

    return qa, Slices(G, case, expect)


def float_scores(batch, Q, K):
    """FP32 QKᵀ and softmax: (probabilities [B, H, Lq, Lk], the same as Q1.7 [B, H, Lk, Lq] for a quantized P·V)."""
    pf = minilm.attention_probs(batch, Q, K)
    return pf, to_q17(pf).transpose(0, 1, 3, 2)


def float_context(batch, pf, probs, V, bv):
    """FP32 P·V (+ V's bias) from the float probabilities, or from the Q1.7 ones of a quantized QKᵀ."""
    p = pf if pf is not None else probs.transpose(0, 1, 3, 2).astype(np.float32) / Q17_ONE
    return minilm.attention_context(batch, p, V) + bv
