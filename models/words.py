"""Operand words as the hardware streams them (numerics.md §1).

A word is one vector: VEC*4 data bits (VEC INT4 elements at bits
[4i+3:4i], or VEC/2 INT8 elements at bits [8i+7:8i]) and an 8-bit scale at
bits [VEC*4+7:VEC*4]. Words are Python ints (little-endian bit numbering),
which is what AXI-Stream drivers take as a beat's data.
"""

import numpy as np

from .numerics import ELEMENT_RANGE, vec_len


def word_bits(vec):
    """Width of an operand word: VEC*4 data bits + 8 scale bits."""
    return vec * 4 + 8


def _word_bytes(vec):
    if vec <= 0 or vec % 2:
        raise ValueError(f"vec must be a positive even number, got {vec}")
    return word_bits(vec) // 8


def pack_words(q, s, mode, vec):
    """Words of vectors q [n, V] with scales s [n] (None → scale field 0).

    The scale field is written in every mode; hardware ignores it outside
    ``int4_vsq``.
    """
    V = vec_len(mode, vec)
    nbytes = _word_bytes(vec)
    q = np.asarray(q)
    if q.ndim != 2 or q.shape[1] != V:
        raise ValueError(f"pack_words: q must be [n, {V}] for {mode} with vec={vec}, got {q.shape}")
    lo, hi = ELEMENT_RANGE[mode]
    if q.size and (q.min() < lo or q.max() > hi):
        raise ValueError(f"pack_words: elements outside [{lo}, {hi}] for {mode}")
    n = q.shape[0]
    s = np.zeros(n, dtype=np.uint8) if s is None else np.asarray(s)
    if s.shape != (n,) or (s.size and (s.min() < 0 or s.max() > 255)):
        raise ValueError(f"pack_words: s must be [{n}] values in [0, 255]")

    raw = q.astype(np.int64) & (0xF if V == vec else 0xFF)  # two's complement fields
    if V == vec:  # INT4: element 2j in the low nibble of byte j
        raw = raw[:, 0::2] | (raw[:, 1::2] << 4)
    data = np.empty((n, nbytes), dtype=np.uint8)
    data[:, :-1] = raw
    data[:, -1] = s
    return [int.from_bytes(row.tobytes(), "little") for row in data]


def unpack_words(words, mode, vec):
    """Inverse of ``pack_words``: (q int8 [n, V], s uint8 [n])."""
    V = vec_len(mode, vec)
    nbytes = _word_bytes(vec)
    words = [int(w) for w in words]
    if any(w < 0 or w >> word_bits(vec) for w in words):
        raise ValueError(f"unpack_words: a word does not fit in {word_bits(vec)} bits")
    data = np.frombuffer(b"".join(w.to_bytes(nbytes, "little") for w in words), dtype=np.uint8)
    data = data.reshape(len(words), nbytes).astype(np.int64)
    raw = data[:, :-1]
    if V == vec:
        nib = np.empty((len(words), V), dtype=np.int64)
        nib[:, 0::2] = raw & 0xF
        nib[:, 1::2] = raw >> 4
        q = (nib ^ 0x8) - 0x8  # sign-extend 4 bits
    else:
        q = (raw ^ 0x80) - 0x80  # sign-extend 8 bits
    return q.astype(np.int8), data[:, -1].astype(np.uint8)
