"""``python -m models.run_case``: round trip and one-line refusals (exit code 2)."""

import pathlib
import subprocess
import sys

import numpy as np
import pytest

from models.case import run_case, save_case
from models.casegen import random_case

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _run(*args):
    return subprocess.run([sys.executable, "-m", "models.run_case", *map(str, args)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)


def _case():
    rng = np.random.default_rng(0)
    return random_case(rng, M=16, N=4, K=32, mode="int4_vsq", out_mode="softmax", vec=8, lanes=4)


def test_valid_case_round_trips(tmp_path):
    case = _case()
    save_case(tmp_path / "case.npz", case)
    r = _run(tmp_path / "case.npz", "-o", tmp_path / "out.npz")
    assert r.returncode == 0 and r.stderr == ""
    expected = run_case(case)
    with np.load(tmp_path / "out.npz") as f:
        assert set(f.files) == {"acc", "probs"}
        assert all(np.array_equal(f[k], expected[k]) and f[k].dtype == expected[k].dtype for k in f.files)


def _raw(case, **overrides):
    """The case with overrides (None deletes a key), for np.savez: save_case would refuse it."""
    return {k: v for k, v in dict(case, **overrides).items() if v is not None}


BAD_FILES = {
    "missing key": _raw(_case(), b_s=None),
    "wrong dtype": _raw(_case(), a_q=_case()["a_q"].astype(np.int16)),
    "wrong shape": _raw(_case(), g=np.ones(15, np.uint16)),
    "K not multiple": _raw(_case(), a_q=np.zeros((16, 36), np.int8), b_q=np.zeros((36, 4), np.int8)),
    "out of range": _raw(_case(), b_q=np.full((32, 4), -9, np.int8)),
    "unknown mode": _raw(_case(), mode="int3"),
    "sh = 32": _raw(_case(), sh=32),
}


def _assert_refused(r):
    assert r.returncode == 2
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("run_case: "), r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_case_file_is_refused(tmp_path, name):
    np.savez(tmp_path / "case.npz", **BAD_FILES[name])
    r = _run(tmp_path / "case.npz", "-o", tmp_path / "out.npz")
    _assert_refused(r)
    assert not (tmp_path / "out.npz").exists()


def test_unreadable_inputs_are_refused(tmp_path):
    (tmp_path / "text.npz").write_text("not a zip archive\n")
    np.save(tmp_path / "array.npy", np.zeros(3))
    (tmp_path / "empty.npz").write_bytes(b"")
    for path in ("text.npz", "array.npy", "empty.npz", "missing.npz", "."):
        _assert_refused(_run(tmp_path / path, "-o", tmp_path / "out.npz"))
    assert not (tmp_path / "out.npz").exists()


def test_bad_command_lines_and_outputs_are_refused(tmp_path):
    save_case(tmp_path / "case.npz", _case())
    _assert_refused(_run(tmp_path / "case.npz"))  # missing -o
    _assert_refused(_run())  # nothing at all
    _assert_refused(_run(tmp_path / "case.npz", "-o", tmp_path))  # output is a directory
    _assert_refused(_run(tmp_path / "case.npz", "-o", tmp_path / "no" / "out.npz"))  # no such dir
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.npz"]
