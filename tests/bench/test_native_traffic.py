"""The native harness's traffic (tools/native/traffic.py) and the harness
(bench/native/harness.cpp): the exported result words are the model's (they
decode, as the scoreboard decodes, to models.case.run_case, and a changed
word does not), the recorded host protocol is the bench's, and the harness
passes the fast traffic under Verilator and fails a corrupted one at the
corrupted word. No timing here (make bench measures)."""

import shutil
import subprocess

import numpy as np
import pytest

from tools.native.traffic import OPS, check_words, encode, record, result_words
from models.casegen import random_case
from models.numerics import MODES, OUT_MODES
from tb.common.params import PARAM_SETS

FAST = PARAM_SETS["fast"]


@pytest.mark.parametrize("out_mode", OUT_MODES)
def test_words_decode_to_the_model(out_mode):
    rng = np.random.default_rng(7)
    M = 16
    case = random_case(rng, M=M, N=8, K=32, mode=MODES[1], out_mode=out_mode, vec=FAST["VEC"],
                       lanes=FAST["LANES"])
    words = result_words(case, FAST)
    check_words(case, words, FAST)
    bad = list(words)
    bad[1] = (bad[1][0] ^ 1, bad[1][1])
    with pytest.raises(AssertionError):
        check_words(case, bad, FAST)


def test_recorded_protocol():
    ops, jobs = record("fast", FAST, seed=1, gemms=4)
    kinds = [op[0] for op in ops]
    assert kinds.count("EXPECT") == len(jobs) == 4
    assert kinds.count("WAIT_IRQ") == 4
    # every GEMM: a START write (CTRL, 0x040) before its irq wait, a frame expected after it
    for i, k in enumerate(kinds):
        if k == "WAIT_IRQ":
            assert ("WRITE", 0x40, 1, 0xF) in ops[:i]
            assert "EXPECT" in kinds[i:]
    stream = encode(ops, FAST)
    assert stream[3] == len(ops) and stream[4] in OPS.values()


def harness_exe():
    from tools.native.build import build
    return build("fast")[0]


@pytest.mark.skipif(shutil.which("verilator") is None, reason="verilator not on PATH (make setup)")
def test_harness_passes_and_fails(tmp_path):
    ops, _ = record("fast", FAST, seed=1, gemms=3)
    encode(ops, FAST).tofile(tmp_path / "good.bin")
    exe = harness_exe()
    ok = subprocess.run([str(exe), str(tmp_path / "good.bin")], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    # one bit of word 1 of the last GEMM's expected frame changed: the harness must say so
    last = max(i for i, op in enumerate(ops) if op[0] == "EXPECT")
    words = list(ops[last][1])
    words[1] = (words[1][0] ^ 1, words[1][1])
    ops[last] = ("EXPECT", words)
    encode(ops, FAST).tofile(tmp_path / "bad.bin")
    bad = subprocess.run([str(exe), str(tmp_path / "bad.bin")], capture_output=True, text=True)
    assert bad.returncode == 1 and "GEMM 2 word 1:" in bad.stderr, bad.stderr
