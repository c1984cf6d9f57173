"""Operand words (§1): bit layout, round trips, VSQ outputs as B operands."""

import numpy as np
import pytest

from models import random_case, run_case, validate_case
from models.numerics import MODES, vec_len
from models.words import pack_words, unpack_words, word_bits


def test_word_layout_hand_examples():
    # INT4, VEC = 4: elements [1, -1, 7, -8] are nibbles 0x1, 0xF, 0x7, 0x8 at
    # bits 3:0, 7:4, 11:8, 15:12; the scale 0xAB at bits 23:16.
    assert pack_words(np.array([[1, -1, 7, -8]]), np.array([0xAB]), "int4_vsq", 4) == [0xAB87F1]
    # INT8, VEC = 4 (V = 2): bytes 0x01, 0x80 at bits 7:0, 15:8; the scale field at 23:16.
    assert pack_words(np.array([[1, -128]]), np.array([3]), "int8", 4) == [0x038001]
    assert pack_words(np.array([[1, -128]]), None, "int8", 4) == [0x8001]
    assert word_bits(64) == 264


@pytest.mark.parametrize("mode", MODES)
def test_round_trip(mode):
    rng = np.random.default_rng(MODES.index(mode))
    vec = 64
    lo, hi = (-128, 127) if mode == "int8" else (-8, 7)
    q = rng.integers(lo, hi + 1, (50, vec_len(mode, vec)))
    s = rng.integers(0, 256, 50)
    words = pack_words(q, s, mode, vec)
    assert all(0 <= w < 1 << word_bits(vec) for w in words)
    q2, s2 = unpack_words(words, mode, vec)
    assert np.array_equal(q2, q) and np.array_equal(s2, s)
    assert q2.dtype == np.int8 and s2.dtype == np.uint8


def test_bad_words_are_refused():
    with pytest.raises(ValueError):
        pack_words(np.array([[8, 0, 0, 0]]), None, "int4", 4)  # element out of range
    with pytest.raises(ValueError):
        pack_words(np.zeros((1, 3)), None, "int4", 4)  # wrong vector length
    with pytest.raises(ValueError):
        pack_words(np.zeros((1, 4)), np.array([256]), "int4", 4)  # scale out of range
    with pytest.raises(ValueError):
        unpack_words([1 << 24], "int4", 4)  # wider than VEC*4 + 8 bits


def test_int4_vsq_output_group_is_a_legal_b_word():
    rng = np.random.default_rng(3)
    vec = 16
    case = random_case(rng, M=32, N=5, K=48, mode="int4_vsq", out_mode="int4_vsq", vec=vec, lanes=4)
    out = run_case(case)
    q, s = out["out_q"], out["out_s"]
    assert np.abs(q).max() <= 7 and s.min() >= 1
    # One word per (group, column): the column's Vo = VEC consecutive rows.
    groups = q.reshape(32 // vec, vec, 5).transpose(0, 2, 1).reshape(-1, vec)
    words = pack_words(groups, s.reshape(-1), "int4_vsq", vec)
    q2, s2 = unpack_words(words, "int4_vsq", vec)
    assert np.array_equal(q2, groups) and np.array_equal(s2, s.reshape(-1))
    # ... and the whole output is a B operand [K = 32, N] of the next GEMM.
    nxt = dict(case, b_q=q, b_s=s, a_q=case["a_q"][:, :32], a_s=case["a_s"][:, :2])
    validate_case(nxt)
    run_case(nxt)
