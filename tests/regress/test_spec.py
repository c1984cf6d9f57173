"""Regression lists: a test's PARAM_SETS restricts the parameter sets it is
expanded into (tools/regress/spec.py) and run with (tb/sim.py). No simulator
needed."""

import pytest

from tb.common.params import PARAM_SETS
from tb.common import testbench
from tb.sim import main as sim_main
from tools.regress import spec


def test_allowed_params_read_from_the_source(tmp_path, monkeypatch):
    tests = tmp_path / "b" / "tests"
    tests.mkdir(parents=True)
    (tests / "b_plain_test.py").write_text("import cocotb  # never imported by the spec\n")
    (tests / "b_paper_test.py").write_text('X = 1\nPARAM_SETS = ("paper",)\n')
    monkeypatch.setattr(testbench, "TB_DIR", tmp_path)
    assert testbench.allowed_params("b", "b_plain_test") == tuple(PARAM_SETS)
    assert testbench.allowed_params("b", "b_paper_test") == ("paper",)


def test_sim_refuses_a_paper_only_test_with_fast(capsys):
    assert sim_main(["--test", "top_real_data_test", "--params", "fast"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "sim: top_real_data_test runs only with PARAMS=paper (PARAM_SETS in its file)"


def _jobs(*entries):
    return spec.expand({"name": "t", "entries": list(entries)}, base_seed=1)


def test_bench_entry_leaves_a_paper_only_test_out_of_fast():
    assert testbench.allowed_params("top", "top_real_data_test") == ("paper",)
    fast = {j.test for j in _jobs({"bench": "top", "sims": ["icarus"], "params": ["fast"]})}
    paper = {j.test for j in _jobs({"bench": "top", "sims": ["icarus"], "params": ["paper"]})}
    assert "top_real_data_test" not in fast and "top_random_test" in fast
    assert "top_real_data_test" in paper
    assert fast == paper - {"top_real_data_test"}


def test_test_entry_with_a_refused_set_is_an_error():
    with pytest.raises(spec.SpecError, match="top_real_data_test runs only with params paper .* not fast"):
        _jobs({"test": "top_real_data_test", "params": ["fast", "paper"]})
    jobs = _jobs({"test": "top_real_data_test", "sims": ["icarus", "verilator"], "params": ["paper"], "seeds": 2})
    assert sorted((j.sim, j.params) for j in jobs) == [("icarus", "paper")] * 2 + [("verilator", "paper")] * 2


@pytest.mark.parametrize("name", ["smoke", "top", "nightly"])  # the lists with `bench: top`
def test_regression_lists_run_the_real_data_test_in_paper_only(name):
    jobs = spec.expand(spec.load(name), base_seed=1)
    assert {j.params for j in jobs if j.test == "top_real_data_test"} == ({"paper"} if name != "smoke" else set())
