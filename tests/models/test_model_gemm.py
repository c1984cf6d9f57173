"""Datapath and GEMM (§2, §3): hand examples, saturation order, slow reference."""

import numpy as np
import pytest

import models_slow_ref as ref
from models.gemm import gemm_acc, gemm_acc_sat, lane_step, scale_product
from models.numerics import MODES, vec_len


def test_scale_product_hand_values():
    # 127 * 129 = 16383; (16383 + 128) >> 8 = 16511 >> 8 = 64
    assert scale_product(127, 129) == 64
    # 255 * 255 = 65025; (65025 + 128) >> 8 = 65153 >> 8 = 254 (254.5 floors)
    assert scale_product(255, 255) == 254
    assert scale_product(0, 255) == 0


def test_scale_product_uint16_matches_int64_exhaustively():
    s = np.arange(256)
    wide = scale_product(s[:, None], s[None, :])
    narrow = scale_product(s[:, None].astype(np.uint8), s[None, :].astype(np.uint8), np.uint16)
    assert np.array_equal(wide, narrow)
    assert wide.max() == 254


def test_lane_step_each_mode():
    a = np.array([7, -8, 3, 0])
    b = np.array([-8, -8, 2, 5])
    # dot = 7*-8 + -8*-8 + 3*2 + 0*5 = -56 + 64 + 6 + 0 = 14
    assert lane_step("int4", a, 9, b, 9) == 14
    assert lane_step("int8", a, 9, b, 9) == 14
    # p8 = (127*129 + 128) >> 8 = 64 -> d = 14 * 64 = 896
    assert lane_step("int4_vsq", a, 127, b, 129) == 896


def _int8_steps(pairs):
    """A [1, K], B [K, 1] with V = 1 (int8, vec = 2): step k contributes a_k * b_k."""
    a = np.array([[p[0] for p in pairs]], dtype=np.int8)
    b = np.array([[p[1]] for p in pairs], dtype=np.int8)
    K = len(pairs)
    return gemm_acc("int8", a, np.zeros((1, K), np.uint8), b, np.zeros((K, 1), np.uint8), 2)[0, 0]


def test_saturation_positive_rail_is_per_step():
    # 520 steps of 127*127 = 16129: 520 * 16129 = 8,387,080 (< 8,388,607).
    # Step 521 adds 16129 -> 8,403,209 -> saturates to 8,388,607.
    # Step 522 adds -1*1 -> 8,388,606: the rail is left, not remembered.
    pairs = [(127, 127)] * 521 + [(-1, 1)]
    assert _int8_steps(pairs) == 8_388_606
    assert _int8_steps(pairs[:521]) == 8_388_607
    assert _int8_steps(pairs[:520]) == 8_387_080


def test_saturation_negative_rail_is_per_step():
    # 516 steps of -128*127 = -16256: 516 * 16256 = 8,388,096 -> -8,388,096.
    # Step 517 -> -8,404,352 -> saturates to -8,388,608; then +1*1 -> -8,388,607.
    pairs = [(-128, 127)] * 517 + [(1, 1)]
    assert _int8_steps(pairs) == -8_388_607
    assert _int8_steps(pairs[:517]) == -8_388_608
    assert _int8_steps(pairs[:516]) == -8_388_096


def test_order_matters():
    # The same steps in the opposite order never touch the rail.
    pairs = [(-1, 1)] + [(127, 127)] * 521
    # -1 + 521 * 16129 = 8,403,208 -> only the last step saturates -> 8,388,607.
    assert _int8_steps(pairs) == 8_388_607


def _random_operands(rng, mode, M, N, K, vec, rails=False):
    lo, hi = (-128, 127) if mode == "int8" else (-8, 7)
    V = vec_len(mode, vec)
    if rails:
        a = rng.choice([lo, 0, hi], (M, K))
        b = rng.choice([lo, 0, hi], (K, N))
        sa = rng.choice([0, 255], (M, K // V))
        sb = rng.choice([0, 255], (K // V, N))
    else:
        a = rng.integers(lo, hi + 1, (M, K))
        b = rng.integers(lo, hi + 1, (K, N))
        sa = rng.integers(0, 256, (M, K // V))
        sb = rng.integers(0, 256, (K // V, N))
    return a.astype(np.int8), sa.astype(np.uint8), b.astype(np.int8), sb.astype(np.uint8)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("rails", [False, True])
def test_gemm_matches_slow_reference(mode, rails):
    rng = np.random.default_rng([MODES.index(mode), rails])
    for _ in range(6):
        vec = int(rng.choice([2, 4, 8, 16]))
        V = vec_len(mode, vec)
        M, N = (int(v) for v in rng.integers(1, 6, 2))
        K = V * int(rng.integers(1, 40))
        a, sa, b, sb = _random_operands(rng, mode, M, N, K, vec, rails)
        expected = ref.gemm_acc(mode, a.tolist(), sa.tolist(), b.tolist(), sb.tolist(), vec)
        assert gemm_acc(mode, a, sa, b, sb, vec).tolist() == expected


@pytest.mark.parametrize("mode", MODES)
def test_gemm_saturating_rails_match_slow_reference(mode):
    # Rail data with a K long enough that acc[0, 0] runs into the positive
    # rail and acc[1, 0] into the negative one (INT4 without scales needs
    # K > 2^23 / 64); the other elements are mixed rails and zeros.
    rng = np.random.default_rng(7 + MODES.index(mode))
    vec = 16
    V = vec_len(mode, vec)
    K = V * (10752 if mode == "int4" else 96)  # int4: 49 * 172032 > 2^23
    a, sa, b, sb = _random_operands(rng, mode, 2, 2, K, vec, rails=True)
    lo, hi = (-128, 127) if mode == "int8" else (-8, 7)
    a[0], a[1], b[:, 0] = hi, lo, hi
    sa[:], sb[:, 0] = 255, 255
    acc = gemm_acc(mode, a, sa, b, sb, vec)
    assert acc[0, 0] == (1 << 23) - 1 and acc[1, 0] == -(1 << 23)
    assert acc.tolist() == ref.gemm_acc(mode, a.tolist(), sa.tolist(), b.tolist(), sb.tolist(), vec)
    # the rails a step clipped at (the engine's sat_seen): both here, each alone on its own row
    ref_sat = [ref.gemm_acc_sat(mode, a[i:i + 1].tolist(), sa[i:i + 1].tolist(), b[:, :1].tolist(),
                                sb[:, :1].tolist(), vec)[1] for i in (0, 1)]
    got_sat = [gemm_acc_sat(mode, a[i:i + 1], sa[i:i + 1], b[:, :1], sb[:, :1], vec)[1] for i in (0, 1)]
    assert gemm_acc_sat(mode, a, sa, b, sb, vec)[1] == 3 and got_sat == ref_sat == [1, 2]


@pytest.mark.parametrize("mode", MODES)
def test_gemm_sat_flags_match_slow_reference(mode):
    rng = np.random.default_rng(11 + MODES.index(mode))
    for rails in (False, True):
        a, sa, b, sb = _random_operands(rng, mode, 3, 2, vec_len(mode, 16) * 4, 16, rails=rails)
        acc, flags = gemm_acc_sat(mode, a, sa, b, sb, 16)
        want = ref.gemm_acc_sat(mode, a.tolist(), sa.tolist(), b.tolist(), sb.tolist(), 16)
        assert (acc.tolist(), flags) == want


def test_gemm_float64_path_is_exact():
    # V = 1024 INT4-VSQ at the rails: dmax = 1024*64*254 > 2^23 forces float64.
    rng = np.random.default_rng(3)
    a, sa, b, sb = _random_operands(rng, "int4_vsq", 2, 2, 2048, 1024, rails=True)
    a[:] = -8
    expected = ref.gemm_acc("int4_vsq", a.tolist(), sa.tolist(), b.tolist(), sb.tolist(), 1024)
    assert gemm_acc("int4_vsq", a, sa, b, sb, 1024).tolist() == expected


def test_gemm_agrees_with_lane_step():
    rng = np.random.default_rng(11)
    vec, V = 8, 8
    a, sa, b, sb = _random_operands(rng, "int4_vsq", 3, 2, 5 * V, vec)
    acc = np.zeros((3, 2), np.int64)
    for k in range(5):
        d = lane_step("int4_vsq", a[:, None, k * V:(k + 1) * V], sa[:, None, k],
                      b[k * V:(k + 1) * V].T[None], sb[None, k, :])
        acc = np.clip(acc + d, -(1 << 23), (1 << 23) - 1)
    assert np.array_equal(gemm_acc("int4_vsq", a, sa, b, sb, vec), acc)


def test_gemm_rejects_k_mismatch():
    a = np.zeros((2, 6), np.int8)
    with pytest.raises(ValueError):
        gemm_acc("int4", a, None, np.zeros((6, 2), np.int8), None, 4)
