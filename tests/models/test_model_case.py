"""Case validation, case generation and end-to-end agreement with the slow reference."""

import numpy as np
import pytest

import models_slow_ref as ref
from models.case import CaseError, load_case, run_case, save_case, save_outputs, validate_case
from models.casegen import legal_shape, random_case
from models.numerics import MODES, OUT_MODES


def _case(**overrides):
    rng = np.random.default_rng(0)
    case = random_case(rng, M=8, N=3, K=32, mode="int4_vsq", out_mode="int4_vsq", vec=8, lanes=4)
    case.update(overrides)
    return case


def _without(key):
    case = _case()
    del case[key]
    return case


BAD_CASES = [
    ("missing key", _without("a_q"), "missing key(s) 'a_q'"),
    ("unknown key", _case(b_scale=np.zeros(1)), "unknown key(s) 'b_scale'"),
    ("wrong dtype", _case(a_q=_case()["a_q"].astype(np.int16)), "key 'a_q' has dtype int16, expected int8"),
    ("wrong scale dtype", _case(b_s=_case()["b_s"].astype(np.int8)), "key 'b_s' has dtype int8, expected uint8"),
    ("wrong ndim", _case(g=np.ones((8, 1), np.uint16)), "key 'g' has 2 dimension(s), expected 1"),
    ("wrong shape", _case(bias=np.zeros(7, np.int16)), "key 'bias' has shape (7,), expected (8,)"),
    ("K mismatch", _case(b_q=np.zeros((24, 3), np.int8)), "key 'b_q' has shape (24, 3), expected (32, 3)"),
    ("scale shape", _case(a_s=np.zeros((8, 3), np.uint8)), "key 'a_s' has shape (8, 3), expected (8, 4)"),
    ("K not multiple", _case(a_q=np.zeros((8, 30), np.int8)), "K = 30 is not a multiple of V = 8"),
    ("zero dim", _case(b_q=np.zeros((32, 0), np.int8)), "key 'b_q' has a zero dimension"),
    ("int4 range", _case(a_q=np.full((8, 32), 8, np.int8)), "key 'a_q' has a value outside [-8, 7] for mode int4_vsq: a_q[0, 0] = 8"),
    ("unknown mode", _case(mode="int2"), "unknown mode 'int2'"),
    ("unknown out_mode", _case(out_mode="fp16"), "unknown out_mode 'fp16'"),
    ("sh = 32", _case(sh=32), "sh = 32 is outside 0..31"),
    ("sh < 0", _case(sh=-1), "sh = -1 is outside 0..31"),
    ("sh is bool", _case(sh=True), "key 'sh' has dtype bool, expected int"),
    ("relu is int", _case(relu=1), "key 'relu' has dtype int64, expected bool"),
    ("mode not scalar", _case(mode=np.array(["int4"])), "key 'mode' must be a scalar str"),
    ("odd vec", _case(vec=7), "vec = 7 is not a positive even number"),
    ("zero lanes", _case(lanes=0), "lanes = 0 is not positive"),
    ("vsq group", _case(out_mode="int4_vsq", vec=16, a_s=np.zeros((8, 2), np.uint8), b_s=np.zeros((2, 3), np.uint8)),
     "out_mode int4_vsq needs M a multiple of 16, got M = 8"),
    ("softmax lanes", _case(out_mode="softmax", lanes=3), "softmax needs M a multiple of lanes = 3"),
    ("not an array", _case(g=[1] * 8), "key 'g' is not an array"),
]


@pytest.mark.parametrize("name, case, message", BAD_CASES, ids=[b[0] for b in BAD_CASES])
def test_bad_cases_are_refused_with_one_line(name, case, message):
    with pytest.raises(CaseError) as info:
        validate_case(case, "case.npz")
    text = str(info.value)
    assert text.startswith("case.npz: ") and message in text and "\n" not in text


def test_softmax_length_limit():
    rng = np.random.default_rng(1)
    case = random_case(rng, M=1024, N=1, K=8, mode="int8", out_mode="softmax", vec=16, lanes=16)
    validate_case(case)
    long = dict(case, a_q=np.zeros((1040, 8), np.int8), a_s=np.zeros((1040, 1), np.uint8),
                g=np.zeros(1040, np.uint16), bias=np.zeros(1040, np.int16))
    with pytest.raises(CaseError, match="at most 1024"):
        validate_case(long)


def test_int8_accepts_minus_128_and_int4_scales_are_free():
    case = _case(mode="int8", a_q=np.full((8, 32), -128, np.int8), a_s=np.zeros((8, 8), np.uint8),
                 b_s=np.zeros((8, 3), np.uint8), b_q=np.full((32, 3), -128, np.int8))
    assert validate_case(case)["mode"] == "int8"


def test_save_load_round_trip(tmp_path):
    case = _case()
    save_case(tmp_path / "c.npz", case)
    loaded = load_case(tmp_path / "c.npz")
    assert set(loaded) == set(case)
    assert all(np.array_equal(loaded[k], case[k]) for k in case)
    assert type(loaded["sh"]) is int and type(loaded["relu"]) is bool and type(loaded["mode"]) is str
    out = run_case(loaded)
    save_outputs(tmp_path / "o.npz", out)
    with np.load(tmp_path / "o.npz") as f:
        assert set(f.files) == set(out) and all(np.array_equal(f[k], out[k]) for k in out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.npz", "o.npz"]  # no temporaries left


def test_save_case_refuses_illegal_case(tmp_path):
    with pytest.raises(CaseError):
        save_case(tmp_path / "c.npz", _case(sh=40))
    assert not list(tmp_path.iterdir())


def test_failed_save_leaves_nothing(tmp_path):
    (tmp_path / "o.npz").mkdir()
    with pytest.raises(OSError):
        save_outputs(tmp_path / "o.npz", {"acc": np.zeros((1, 1), np.int32)})
    assert [p.name for p in tmp_path.iterdir()] == ["o.npz"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("out_mode", OUT_MODES)
def test_run_case_matches_slow_reference(mode, out_mode):
    rng = np.random.default_rng([MODES.index(mode), OUT_MODES.index(out_mode)])
    for data in ("random", "random", "max", "min", "rails"):
        vec = int(rng.choice([4, 8, 16]))
        lanes = int(rng.choice([1, 2, 4]))
        M, N, K = legal_shape(rng, mode, out_mode, vec, lanes, 2, 48, 6, 160)
        case = random_case(rng, M=M, N=N, K=K, mode=mode, out_mode=out_mode, vec=vec, lanes=lanes, data=data)
        out = run_case(case)
        expected = ref.run_case(case)
        assert set(out) == set(expected)
        for key in out:
            assert out[key].tolist() == expected[key], (data, key)


@pytest.mark.parametrize("out_mode", ["int8", "int4", "int4_vsq", "int8_vsq", "softmax"])
def test_random_cases_are_informative(out_mode):
    """Default g/sh give outputs that are neither all saturated nor all zero."""
    rng = np.random.default_rng(OUT_MODES.index(out_mode))
    case = random_case(rng, M=64, N=16, K=128, mode="int4_vsq", out_mode=out_mode, vec=16, lanes=4, relu=False)
    out = run_case(case)
    values = out["probs"] if out_mode == "softmax" else out["out_q"]
    rail = {"int8": 127, "int4": 7, "int4_vsq": 7, "int8_vsq": 127, "softmax": 127}[out_mode]
    assert (values != 0).mean() > 0.3
    assert (np.abs(values.astype(int)) == rail).mean() < 0.5
    assert len(np.unique(values)) > 5


def test_max_and_min_data_reach_both_rails():
    rng = np.random.default_rng(2)
    for data, rail in (("max", (1 << 23) - 1), ("min", -(1 << 23))):
        case = random_case(rng, M=4, N=4, K=16 * 48, mode="int4_vsq", out_mode="acc", vec=16, lanes=4, data=data)
        assert (run_case(case)["acc"] == rail).all()


def test_legal_shape_respects_units():
    rng = np.random.default_rng(3)
    for _ in range(50):
        M, N, K = legal_shape(rng, "int8", "int4_vsq", 16, 6, 4, 200, 40, 100)
        assert M % 48 == 0 and N % 4 == 0 and K % 8 == 0 and M <= 200 and N <= 40 and K <= 100
    with pytest.raises(ValueError):
        legal_shape(rng, "int4", "int4_vsq", 64, 16, 4, 32, 8, 64)
