"""The fast path (tb/topfast: the top's buses played by the Verilator model,
Python once per frame or access) against the cocotbext-axi path: the same
speed-bench traffic (top_speed_bench's sequence and seed: random modes,
shapes, data kinds, result back-pressure and load gaps) through both, each
checked bit for bit against the model by the top's scoreboard, must publish
the same result frames (words and TUSER, in order) and take about the same
cycles (the patterns are the same runs; where a pattern starts can move a
cycle or so). Back-pressure through the fast path alone is
top_fast_backpressure_test (paper, in test_quick). No timing here."""

import itertools
import json
import shutil

import numpy as np
import pytest

from tb.common.valid_ready import BackPressure
from tb.sim import run

needs_verilator = pytest.mark.skipif(shutil.which("verilator") is None, reason="verilator not on PATH (make setup)")


@pytest.mark.parametrize("kind", ["none", "random", "storm"])
def test_pattern_chunks_are_the_iterated_runs(kind):
    """The fast path pulls BackPressure runs in chunks (runs(n)): the same runs, in order."""
    it = iter(BackPressure(np.random.default_rng(11), kind, max_low=8))
    chunked = BackPressure(np.random.default_rng(11), kind, max_low=8)
    expected = list(itertools.islice(it, 3 * 256))
    got = []
    for _ in range(3):
        levels, cycles = chunked.runs(256)
        got += list(zip(levels.tolist(), cycles.tolist()))
    assert got == [(int(lv), int(c)) for lv, c in expected]


def _bench(test, tmp_path, monkeypatch, seed, gemms):
    monkeypatch.setenv("VSQ_SPEED_GEMMS", str(gemms))
    passed, run_dir, repro = run(test, "verilator", seed, "fast", out=tmp_path / test)
    assert passed, f"{test} failed; log {run_dir / 'sim.log'}; reproduce: VSQ_SPEED_GEMMS={gemms} {repro}"
    return json.loads((run_dir / "top_speed_bench.json").read_text())


@needs_verilator
@pytest.mark.parametrize("seed", [1, 5])
def test_fast_path_matches_cocotbext(tmp_path, monkeypatch, seed):
    axi = _bench("top_speed_bench", tmp_path, monkeypatch, seed, 8)
    fast = _bench("top_fast_speed_bench", tmp_path, monkeypatch, seed, 8)
    assert fast["result_frames"] == axi["result_frames"] >= 8
    assert fast["result_digest"] == axi["result_digest"]
    assert abs(fast["sim_cycles"] - axi["sim_cycles"]) <= 0.05 * axi["sim_cycles"]
    # one wake per frame or access, not per beat or cycle
    assert fast["gpi_callbacks"] < 0.2 * axi["gpi_callbacks"]
