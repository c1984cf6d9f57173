"""The top's stream formats (docs/rtl-top.md), host side: a case's operands
as load frames, and result frames back into arrays.

Load frames (one operand word per beat, packed by models.words):
- A (TDEST 0), buffer order: word i -> bank i % LANES, address i / LANES,
  i.e. for each m-tile, for each k, the LANES rows' vector k.
- B (TDEST 1), word i -> address i: column n's K/V vectors in order, columns
  ascending (the buffer layout of docs/interfaces.md).
- g/bias table (TDEST 2): P = VEC/8 rows per word, row i*P+j at bits
  [32j+31:32j] as {g, bias}; the scale byte is 0.
Result frames: the PPU's word order and packing (docs/rtl-ppu.md, decoded by
tb.common.stream_layout); TUSER of each word = {first row, column}.
Nothing here computes an expected value.
"""

import numpy as np

from models.numerics import vec_len
from models.words import pack_words
from tb.common.stream_layout import decode_words, word_order


def a_words(a_q, a_s, mode, vec, lanes):
    """A [M, K] (with scales [M, K/V]) as the words of an A load, buffer order."""
    V = vec_len(mode, vec)
    M, K = a_q.shape
    kv = K // V
    q = a_q.reshape(M // lanes, lanes, kv, V).transpose(0, 2, 1, 3).reshape(-1, V)
    s = a_s.reshape(M // lanes, lanes, kv).transpose(0, 2, 1).reshape(-1)
    return pack_words(q, s, mode, vec)


def b_words(b_q, b_s, mode, vec):
    """B [K, N] (with scales [K/V, N]) as the words of a B load: (n, k) order."""
    V = vec_len(mode, vec)
    K, N = b_q.shape
    kv = K // V
    q = np.ascontiguousarray(b_q.T).reshape(N * kv, V)
    s = np.ascontiguousarray(b_s.T).reshape(N * kv)
    return pack_words(q, s, mode, vec)


def table_words(g, bias, vec):
    """g [M] (uint16) and bias [M] (int16) as the words of a table load."""
    per = vec // 8
    g = np.asarray(g, dtype=np.int64) & 0xFFFF
    b = np.asarray(bias, dtype=np.int64) & 0xFFFF
    pairs = (g << 16) | b
    n = -(-len(pairs) // per)
    pairs = np.concatenate([pairs, np.zeros(n * per - len(pairs), dtype=np.int64)]).reshape(n, per)
    words = []
    for row in pairs:
        w = 0
        for j, p in enumerate(row):
            w |= int(p) << (32 * j)
        words.append(w)
    return words


# The operand buffers by their LOAD_BANK/RUN_BANK field name, and the TDEST
# that loads each one.
TDEST = {"A": 0, "B": 1, "T": 2}


def case_loads(case, lanes):
    """{TDEST: words} of a case dict: A, B and the g/bias table."""
    mode, vec = case["mode"], case["vec"]
    return {
        TDEST["A"]: a_words(case["a_q"], case["a_s"], mode, vec, lanes),
        TDEST["B"]: b_words(case["b_q"], case["b_s"], mode, vec),
        TDEST["T"]: table_words(case["g"], case["bias"], vec),
    }


def split_tuser(tuser):
    """(first row, column) of a result word's TUSER."""
    return tuser >> 16, tuser & 0xFFFF


def expected_sideband(out_mode, M, N, params):
    """(column, first row) of every result word, in stream order (tb.common.stream_layout)."""
    return [(n, row) for n, _, row, _ in word_order(out_mode, M, N, params)]


def decode_frame(out_mode, frame, M, N, params):
    """A result frame as the arrays of models.ppu.postprocess (plus 'pad', every
    field that must be 0), placed by each word's own TUSER."""
    words = []
    for data, tu in zip(frame.words, frame.tuser):
        row, n = split_tuser(tu)
        words.append((data, n, 0, row, False))
    return decode_words(out_mode, words, M, N, params)
