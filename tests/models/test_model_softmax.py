"""Softermax (§6): hand examples, reciprocal, slow reference, column sums."""

import numpy as np
import pytest

import models_slow_ref as ref
from models.softmax import reciprocal, softermax, softermax_trace


def test_reciprocal_hand_values():
    # D = 608 (the minimum): z = 9, Dn = 608 << 6 = 38912, i = (38912 >> 12) & 7 = 1,
    # t = 38912 & 0xFFF = 2048, R = 29127 - ((2913 * 2048) >> 12) = 29127 - 1456 = 27671.
    # D = 2^20 - 1: z = 19, Dn = 1048575 >> 4 = 65535, i = 15 & 7 = 7, t = 4095,
    # R = 17476 - ((1092 * 4095) >> 12) = 17476 - 1091 = 16385.
    # D = 2^15: z = 15, Dn = D, i = 0, t = 0, R = C0[0] = 32768.
    z, R = reciprocal(np.array([608, (1 << 20) - 1, 1 << 15]))
    assert z.tolist() == [9, 19, 15]
    assert R.tolist() == [27671, 16385, 32768]


def test_reciprocal_matches_slow_reference():
    D = np.arange(608, 1 << 20, 97)
    z, R = reciprocal(D)
    assert list(zip(z.tolist(), R.tolist())) == [ref.reciprocal(int(d)) for d in D]


def test_one_element_column():
    # L = block = 1. x = 0: c = 0, m = 0, e = 0, u = 32768, D = 32768 >> 5 = 1024,
    # z = 10, Dn = 32768, R = 32768, p = rhu(2^30, 23) = 128 -> clamp 127.
    # Every other x also has e in 0..3 and a true probability of 1 -> 127.
    x = np.arange(-128, 128)[None, :]
    assert softermax(x, 1).tolist() == [[127] * 256]
    assert softermax(np.array([0]), 1).tolist() == [127]


def test_all_equal_column():
    # x = 5 everywhere, L = 4, block = 2: c = (5 + 3) >> 2 = 2, m = 2, e = 8 - 5 = 3,
    # u = POW2[3] = 19484, u >> 5 = 608, d = [1216, 2432], D = 2432, z = 11,
    # Dn = 2432 << 4 = 38912 -> i = 1, t = 2048, R = 27671 (as for D = 608),
    # p = rhu(19484 * 27671, 24) = (539141764 + 8388608) >> 24 = 32 (= 0.25).
    t = softermax_trace(np.full(4, 5), 2)
    assert t["d"].tolist() == [1216, 2432] and t["R"] == 27671 and t["z"] == 11
    assert t["probs"].tolist() == [32, 32, 32, 32]
    # x = 0, L = block = 3: u = 32768, D = 3 * 1024 = 3072, z = 11, Dn = 49152,
    # i = 12 & 7 = 4, t = 0, R = C0[4] = 21845,
    # p = rhu(32768 * 21845, 24) = (715816960 + 8388608) >> 24 = 43 (≈ 128/3).
    assert softermax(np.zeros(3, int), 3).tolist() == [43, 43, 43]


def test_running_sum_saturates():
    # 1024 equal elements: sum = 1024 * 1024 = 2^20 -> d = 2^20 - 1, R = 16385,
    # p = rhu(32768 * 16385, 32) = (536903680 + 2^31) >> 32 = 0 (true value 0.125).
    t = softermax_trace(np.zeros(1024, int), 16)
    assert t["D"] == (1 << 20) - 1 and t["probs"].max() == 0


def _random_columns(rng, L, N, kind):
    if kind == "uniform":
        return rng.integers(-128, 128, (L, N))
    if kind == "rails":
        return rng.choice([-128, -127, 0, 127], (L, N))
    if kind == "narrow":  # close values: many terms survive, sums grow
        return rng.integers(-6, 7, (L, N)) + rng.integers(-100, 100, N)
    # ramp: increasing maxima, so the running max and d shifts move every block
    return np.clip(np.cumsum(rng.integers(-2, 9, (L, N)), axis=0) - 128, -128, 127)


@pytest.mark.parametrize("kind", ["uniform", "rails", "narrow", "ramp"])
def test_softermax_matches_slow_reference(kind):
    rng = np.random.default_rng(["uniform", "rails", "narrow", "ramp"].index(kind))
    for block, nblocks, N in [(1, 7, 3), (4, 16, 4), (16, 4, 5), (3, 11, 2), (16, 64, 2)]:
        x = _random_columns(rng, block * nblocks, N, kind)
        expected = [ref.softermax_column(x[:, n].tolist(), block) for n in range(N)]
        assert softermax(x, block).T.tolist() == expected


def test_trace_is_consistent():
    rng = np.random.default_rng(9)
    x = _random_columns(rng, 32, 6, "ramp")
    t = softermax_trace(x, 4)
    assert t["m"].shape == (8, 6) and t["m_inc"].shape == (7, 6) and t["d"].shape == (8, 6)
    assert np.array_equal(t["m_inc"], np.diff(t["m"], axis=0)) and (t["m_inc"] >= 0).all()
    assert np.array_equal(t["D"], t["d"][-1]) and (t["D"] >= 608).all()
    assert np.array_equal(t["probs"], softermax(x, 4))
    z, R = reciprocal(t["D"])
    assert np.array_equal(t["z"], z) and np.array_equal(t["R"], R)
    one = softermax_trace(x[:, 2], 4)  # 1-D input drops the column axis
    assert one["m"].shape == (8,) and one["D"].shape == () and one["probs"].shape == (32,)
    assert np.array_equal(one["probs"], t["probs"][:, 2])


def test_peaked_column_sums_are_near_one():
    """Σp ≈ 128 within a bound derived from the formulas, column by column.

    Columns: the peak in block 0 (so m never moves and no d or u is shifted
    by a change of max), k - 1 more elements within 4 of the peak, the rest
    at -128 whose e >> 2 >= 16 makes u = 0 exactly. Then, with ρ = R·Dn/2^30
    the reciprocal's relative accuracy and D = Σ floor(u/32) (Dn = D·2^(15-z)
    exactly since D < 2^15 here):
      rhu(u·R, 13+z) = 4·u·ρ/D ± 1/2, and 128 <= Σ 4u/D <= 128·(1 + k/D),
    so 128·ρmin - k/2 - clamp <= Σp <= 128·ρmax·(1 + k/D) + k/2, where clamp
    (the loss when the peak is cut to 127) is at most 128·ρmax·(1 + k/D) + 1/2 - 127.
    """
    D_all = np.arange(1 << 15, 1 << 16)
    rho = reciprocal(D_all)[1] * D_all / 2**30  # z = 15 here, so Dn = D
    rho_min, rho_max = rho.min(), rho.max()
    assert 0.999 < rho_min <= rho_max < 1.004  # an 8-segment chord of 1/x: within 0.4 %

    rng = np.random.default_rng(4)
    L, block, N = 64, 8, 200
    x = np.full((L, N), -128)
    k = rng.integers(1, 9, N)
    peak = rng.integers(0, 128, N)
    for n in range(N):
        x[int(rng.integers(block)), n] = peak[n]
        others = rng.choice(np.arange(block, L), k[n] - 1, replace=False)
        x[others, n] = peak[n] - rng.integers(0, 5, k[n] - 1)
    t = softermax_trace(x, block)
    total = t["probs"].sum(axis=0, dtype=np.int64)
    high = 128 * rho_max * (1 + k / t["D"]) + k / 2
    low = 128 * rho_min - k / 2 - np.maximum(0, 128 * rho_max * (1 + k / t["D"]) + 0.5 - 127)
    assert ((low <= total) & (total <= high)).all()
    assert (np.abs(total / 128 - 1) <= (k / 2 + 2.5) / 128).all()  # the bound, in plain words


@pytest.mark.parametrize(
    "x, block",
    [
        (np.zeros(6, int), 4),  # L not a multiple of block
        (np.zeros(2, int), 4),  # block > L
        (np.zeros(2048, int), 4),  # L > 1024
        (np.zeros(4), 2),  # not integers
        (np.array([0, 128]), 1),  # not int8
        (np.zeros((2, 2, 2), int), 1),  # not [L] or [L, N]
        (np.zeros(4, int), 0),  # block < 1
    ],
)
def test_softermax_rejects_bad_input(x, block):
    with pytest.raises(ValueError):
        softermax(x, block)
