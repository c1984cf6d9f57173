"""The cost model of one MiniLM layer on the accelerator: MACs and lane steps per token.

MACs are the model's (no padding: qkv 3·384², scores and context 12·32·L,
wo 384², ffn1/ffn2 384·1536). Steps are the engine's ``cyc_mac`` per B column
(``models.contract.mac_steps`` with N = 1, docs/rtl-engine.md) with the
pipeline's mapping (head padding in scores/context/wo) and V = VEC/2 in the
int8 mode: the time of the lanes, all LANES of them busy in every step.
"""

from models.contract import mac_steps

from . import minilm
from .config import CLASSES, PARAMS, VEC
from .minilm import D_HEAD, FFN, HEADS, HIDDEN

LINEAR = ("qkv", "wo", "ffn1", "ffn2")  # one B column per token; scores and context: one per padded position


def layer_macs(L):
    """{class: MACs} per token of one layer at sequence length L."""
    return {"qkv": 3 * HIDDEN * HIDDEN, "scores": HEADS * D_HEAD * L, "context": HEADS * D_HEAD * L,
            "wo": HIDDEN * HIDDEN, "ffn1": HIDDEN * FFN, "ffn2": FFN * HIDDEN}


def layer_steps(mode8=(), L=minilm.PAD_TO):
    """{class: lane steps} per B column of one layer at padded sequence length L (a multiple of PAD_TO),
    the classes of ``mode8`` in the int8 mode, the rest in int4_vsq."""
    if L % minilm.PAD_TO:
        raise ValueError(f"layer_steps: L = {L} is not a padded length (a multiple of {minilm.PAD_TO})")
    mode = {c: ("int8" if c in mode8 else "int4_vsq") for c in CLASSES}

    def steps(M, K, mode):
        return mac_steps(M, 1, K, mode, PARAMS)

    return {"qkv": steps(2 * HIDDEN, HIDDEN, mode["qkv"]) + steps(HIDDEN, HIDDEN, mode["qkv"]),
            "scores": HEADS * steps(L, VEC, "int4_vsq"),  # K_h [L, 64] · Q_hᵀ, one query per column
            "context": HEADS * steps(VEC, L, "int8"),  # V_hᵀ [64 rows, L] · P (int8 mode)
            "wo": steps(HIDDEN, HEADS * VEC, "int4_vsq"),
            "ffn1": steps(FFN, HIDDEN, mode["ffn1"]), "ffn2": steps(HIDDEN, FFN, mode["ffn2"])}


def layer_cost(mode8=(), L=minilm.PAD_TO):
    """Per token of one layer at padded sequence length L: ({class: MACs}, {class: lane steps})."""
    return layer_macs(L), layer_steps(mode8, L)


def mode8_cost(mode8, lengths):
    """(share of the MACs that run in the int8 mode, lane time relative to all-int4_vsq) of one layer over
    sequences of these token counts (attention GEMMs at the padded length, every column)."""
    macs8 = macs = 0.0
    steps = {(): 0.0, tuple(mode8): 0.0}
    for n in lengths:
        L = minilm.padded_length(n)
        m = layer_macs(n)
        macs += n * sum(m.values())
        macs8 += n * sum(m[c] for c in mode8)
        for k in steps:
            st = layer_steps(k, L)
            steps[k] += n * sum(st[c] for c in LINEAR) + L * (st["scores"] + st["context"])
    return macs8 / macs, steps[tuple(mode8)] / steps[()]
