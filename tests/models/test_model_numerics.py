"""Primitives of numerics.md: rounding, saturation, vector lengths, tables."""

import numpy as np
import pytest

from models.numerics import C0, C1, MODES, OUT_MODES, POW2, clamp, out_group, rhu, sat, vec_len


@pytest.mark.parametrize(
    "x, k, expected",
    [
        (-3, 1, -1),  # (-3 + 1) >> 1 = -2 >> 1 = -1
        (-5, 2, -1),  # (-5 + 2) >> 2 = -3 >> 2 = floor(-0.75) = -1
        (-6, 2, -1),  # (-6 + 2) >> 2 = -4 >> 2 = -1 (tie -1.5 rounds up)
        (-7, 2, -2),  # (-7 + 2) >> 2 = -5 >> 2 = floor(-1.25) = -2
        (5, 1, 3),  # (5 + 1) >> 1 = 3 (tie 2.5 rounds up)
        (-5, 0, -5),  # k = 0 is the identity
        (3000, 4, 188),  # (3000 + 8) >> 4 = 3008 >> 4 = 188
    ],
)
def test_rhu_hand_values(x, k, expected):
    assert rhu(x, k) == expected


def test_rhu_vectorized_over_x_and_k():
    x = np.arange(-40, 41)
    for k in range(0, 6):
        expected = [v if k == 0 else (v + (1 << (k - 1))) >> k for v in x.tolist()]
        assert rhu(x, k).tolist() == expected
    k = np.array([0, 1, 2, 3])
    assert rhu(np.array([-7, -7, -7, -7]), k).tolist() == [-7, -3, -2, -1]


def test_rhu_rejects_negative_shift():
    with pytest.raises(ValueError):
        rhu(1, -1)


def test_sat_and_clamp():
    x = np.array([-(1 << 23) - 1, -(1 << 23), 0, (1 << 23) - 1, 1 << 23])
    assert sat(x, 24).tolist() == [-(1 << 23), -(1 << 23), 0, (1 << 23) - 1, (1 << 23) - 1]
    assert sat(np.array([-200000, 200000]), 18).tolist() == [-131072, 131071]
    assert clamp(np.array([-9, 0, 9]), -7, 7).tolist() == [-7, 0, 7]


def test_vec_len_and_out_group():
    assert [vec_len(m, 64) for m in MODES] == [32, 64, 64]
    assert out_group("int4_vsq", 64) == (64, 7)
    assert out_group("int8_vsq", 64) == (32, 127)
    with pytest.raises(ValueError):
        vec_len("int2", 64)
    with pytest.raises(ValueError):
        out_group("softmax", 64)
    assert "softmax" in OUT_MODES


def test_softmax_tables_match_their_definitions():
    # POW2[f] = round(2^15 * 2^(-f/4)); C0[i] = round(2^30 / (2^15 + i*2^12)).
    # None of these values is near a .5 tie, so Python's round is fine here.
    assert POW2 == tuple(round(2**15 * 2 ** (-f / 4)) for f in range(4))
    assert C0 == tuple(round(2**30 / (2**15 + i * 2**12)) for i in range(9))
    assert C1 == tuple(C0[i] - C0[i + 1] for i in range(8))
