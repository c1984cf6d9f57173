"""The stream layouts of the tile stream (the engine's output, the PPU's and
the softmax unit's input) and of the PPU's / softmax unit's output words
(docs/interfaces.md, docs/rtl-ppu.md), shared by the engine, PPU, softmax and
top benches: the tile stream's beat order and lane packing, the output word
order with its sideband, and decoding output words back into [M, N] arrays.

Nothing here computes an expected value: the values come from models/; this
is the documented packing and order only.
"""

import numpy as np

from models.contract import ppu_rows  # noqa: F401 - the PPU's row limit, for the benches
from models.numerics import out_group
from models.words import unpack_words


def rows_per_word(out_mode, params):
    """Rows of one column that one output word holds."""
    vec, lanes = params["VEC"], params["LANES"]
    if out_mode in ("int4", "int4_vsq"):
        return vec
    if out_mode in ("int8", "int8_vsq", "softmax"):
        return vec // 2
    if out_mode == "acc":
        return min(vec // 8, lanes)
    raise ValueError(out_mode)


def beat_order(M, N, params, n_outer=1):
    """(mt, n) of every beat of the tile stream of an [M, N] GEMM: tiles of
    LANES rows x ACC_DEPTH columns, column tiles outermost when n_outer (the
    order the PPU and the softmax unit take), row tiles outermost otherwise;
    within a tile, its ACC_DEPTH columns in order."""
    lanes, ad = params["LANES"], params["ACC_DEPTH"]
    mts, nts = range(M // lanes), range(N // ad)
    tiles = [(mt, nt) for nt in nts for mt in mts] if n_outer else [(mt, nt) for mt in mts for nt in nts]
    return [(mt, nt * ad + a) for mt, nt in tiles for a in range(ad)]


def pack_lanes(values, bits):
    """One beat's bus value: values[l] (two's complement, `bits` wide) at [bits*l +: bits]."""
    nbytes = bits // 8
    v = np.asarray(values, dtype=np.int64) & ((1 << bits) - 1)
    raw = np.zeros((len(v), nbytes), dtype=np.uint8)
    for b in range(nbytes):
        raw[:, b] = (v >> (8 * b)) & 0xFF
    return int.from_bytes(raw.tobytes(), "little")


def unpack_lanes(value, lanes, bits):
    """Inverse of pack_lanes: int64 [lanes], sign-extended."""
    nbytes = bits // 8
    raw = np.frombuffer(int(value).to_bytes(lanes * nbytes, "little"), dtype=np.uint8)
    raw = raw.reshape(lanes, nbytes).astype(np.int64)
    v = np.zeros(lanes, dtype=np.int64)
    for b in range(nbytes):
        v |= raw[:, b] << (8 * b)
    sign = 1 << (bits - 1)
    return (v ^ sign) - sign


def word_order(out_mode, M, N, params):
    """Sideband (n, grp, row, last) of every output word, in stream order."""
    lanes, vec, ad = params["LANES"], params["VEC"], params["ACC_DEPTH"]
    out = []
    if out_mode == "acc":
        slots = vec // 8
        w_acc = -(-lanes // slots)
        for nt in range(N // ad):
            for mt in range(M // lanes):
                for a in range(ad):
                    for w in range(w_acc):
                        out.append((nt * ad + a, mt * w_acc + w, mt * lanes + w * slots))
    else:
        rpw = rows_per_word(out_mode, params)
        groups = -(-M // rpw)
        for nt in range(N // ad):
            for g in range(groups):
                for a in range(ad):
                    out.append((nt * ad + a, g, g * rpw))
    return [(n, g, r, i == len(out) - 1) for i, (n, g, r) in enumerate(out)]


def decode_words(out_mode, words, M, N, params):
    """Arrays of the observed words, keyed like models.ppu.postprocess, plus
    'pad' (every element/slot that must be zero: past M, unused acc slots,
    the scale field outside the VSQ modes) as one int64 array.

    `words` is a list of (data, n, grp, row, last) in stream order; the
    placement uses each word's own sideband (n, row)."""
    vec, lanes = params["VEC"], params["LANES"]
    datas = [w[0] for w in words]
    pad = []
    if out_mode == "acc":
        slots = vec // 8
        acc = np.zeros((M, N), dtype=np.int64)
        for data, n, _, row, _ in words:
            used = min(slots, lanes - row % lanes)
            v = unpack_lanes(data & ((1 << (vec * 4)) - 1), slots, 32)
            acc[row:row + used, n] = v[:used]
            pad.extend(v[used:])
            pad.append(data >> (vec * 4))
        return {"acc": acc, "pad": np.array(pad, dtype=np.int64)}

    op_mode = "int4" if out_mode in ("int4", "int4_vsq") else "int8"
    q, s = unpack_words(datas, op_mode, vec)
    rpw = rows_per_word(out_mode, params)
    vals = np.zeros((M, N), dtype=np.int64)
    vsq = out_mode in ("int4_vsq", "int8_vsq")
    scales = np.zeros((-(-M // rpw), N), dtype=np.int64)
    for i, (_, n, _, row, _) in enumerate(words):
        used = min(rpw, M - row)
        vals[row:row + used, n] = q[i, :used]
        pad.extend(q[i, used:].astype(np.int64))
        if vsq:
            scales[row // rpw, n] = s[i]
        else:
            pad.append(int(s[i]))
    out = {"pad": np.array(pad, dtype=np.int64)}
    if out_mode == "softmax":
        out["probs"] = vals
    else:
        out["out_q"] = vals
        if vsq:
            vo, _ = out_group(out_mode, vec)
            assert vo == rpw
            out["out_s"] = scales
    return out
