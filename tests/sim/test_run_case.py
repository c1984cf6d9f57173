"""`make run-case` end to end (part of `make test`), under both simulators:
a GEMM split over M and N into chunks, a softmax case, and refused cases;
the RTL's outputs must equal `python -m models.run_case` on the same case,
key by key and bit by bit. Icarus runs fast-sized cases (the fast set's
build), Verilator paper-sized ones (the paper set's build, which the quick
tests make anyway); the Icarus softmax case needs deeper A banks than the
fast set's, so it also exercises a build for parameters of the case's own."""

import re
import subprocess
import sys

import numpy as np
import pytest

import models.contract as C
from models.case import save_case
from models.casegen import random_case
from tb.common.testbench import REPO

CASES = {
    # name: (sim, shape); each "split" case has more than one chunk over M and over N
    "split-icarus": ("icarus", dict(M=40, N=18, K=256, mode="int4", out_mode="int8_vsq", vec=16, lanes=4)),
    "softmax-icarus": ("icarus", dict(M=64, N=8, K=64, mode="int4_vsq", out_mode="softmax", vec=16, lanes=4)),
    "split-verilator": ("verilator", dict(M=128, N=80, K=2048, mode="int4", out_mode="int4_vsq", vec=64, lanes=16)),
    "softmax-verilator": ("verilator", dict(M=64, N=16, K=128, mode="int8", out_mode="softmax", vec=64, lanes=16)),
}


def _run(*args):
    return subprocess.run([sys.executable, *args], cwd=REPO, capture_output=True, text=True, timeout=900)


@pytest.mark.parametrize("name", sorted(CASES))
def test_run_case_matches_the_model(name, tmp_path):
    sim, shape = CASES[name]
    case = random_case(np.random.default_rng(sorted(CASES).index(name)), **shape)
    path, out, ref = tmp_path / "case.npz", tmp_path / "rtl.npz", tmp_path / "ref.npz"
    save_case(path, case)
    plan = C.case_plan(case)
    if name.startswith("split"):
        assert len(plan.m_chunks) > 1 and len(plan.n_chunks) > 1, plan
    if sim == "verilator":  # the paper set's build is reused (a build of its own takes minutes)
        assert plan.params == C.PARAM_SETS["paper"], plan.params
    proc = _run("-m", "tools.run_case_rtl", str(path), "-o", str(out), "--sim", sim)
    assert proc.returncode == 0, proc.stderr
    assert "matches the model" in proc.stdout and not proc.stderr.strip(), (proc.stdout, proc.stderr)
    assert _run("-m", "models.run_case", str(path), "-o", str(ref)).returncode == 0
    with np.load(out) as got, np.load(ref) as want:
        assert set(got.files) == set(C.OUT_KEYS[shape["out_mode"]]) | {"cycles"}
        for key in C.OUT_KEYS[shape["out_mode"]]:
            assert got[key].dtype == want[key].dtype and np.array_equal(got[key], want[key]), key
        assert int(got["cycles"]) >= C.mac_steps(shape["M"], shape["N"], shape["K"], shape["mode"], plan.params)


@pytest.mark.parametrize("sim", ["icarus", "verilator"])
def test_run_case_refuses_in_one_line(sim, tmp_path):
    bad = tmp_path / "bad.npz"
    case = dict(random_case(np.random.default_rng(0), M=8, N=4, K=32, mode="int4", out_mode="int8", vec=16, lanes=4))
    case["a_q"] = case["a_q"][:, :16]
    np.savez(bad, **case)
    unbuildable = tmp_path / "lanes3.npz"
    save_case(unbuildable, random_case(np.random.default_rng(1), M=6, N=3, K=32, mode="int4", out_mode="int8",
                                       vec=16, lanes=3))
    for path, why in ((bad, "shape"), (unbuildable, "LANES must be a power of two")):
        out = tmp_path / "o.npz"
        proc = _run("-m", "tools.run_case_rtl", str(path), "-o", str(out), "--sim", sim)
        assert proc.returncode == 2 and not proc.stdout, proc
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("run-case: ") and why in lines[0], lines
        assert not out.exists()


def test_make_run_case_refusal_is_one_line(tmp_path):
    """make -s: set-up says nothing when there is nothing to do, so the
    refusal is the only line of ours (make adds its own "Error 2" trailer)."""
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a case")
    proc = subprocess.run(["make", "-s", "run-case", f"CASE={bad}", f"OUT={tmp_path / 'o.npz'}"], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0 and not proc.stdout, proc
    # make's own trailer is "make: ***" at top level, "make[N]: ***" under another make (make test)
    ours = [line for line in proc.stderr.splitlines() if not re.match(r"make(\[\d+\])?: \*\*\*", line)]
    assert len(ours) == 1 and ours[0].startswith("run-case: "), proc.stderr
