"""Batches: several (test, seed) jobs in one simulator process
(tools/regress/batch.py, tb/batch.py). The live tests run the lane bench
under Icarus: every seed gets its own result, log, outcome and functional
coverage, identical to the same seed run alone; a seed that crashes the
simulator or hangs is that seed's failure or timeout and the seeds after it
still run (in a new process); a batch killed as a whole keeps what finished.
The plan and the code-coverage selection are tested without a simulator."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tb.common.testbench import REPO
from tools.regress import batches, results
from tools.regress.launcher import Outcome
from tools.regress.results import JobResult
from tools.regress.spec import Job

needs_icarus = pytest.mark.skipif(shutil.which("iverilog") is None, reason="needs Icarus Verilog")

# Test modules of a crashing and a hanging seed, on PYTHONPATH only for these tests.
FAULTS = {
    "vsq_fault_crash": "import os\nimport cocotb\n\n\n@cocotb.test()\nasync def crash(dut):\n    os._exit(7)\n",
    "vsq_fault_assert": "import cocotb\n\n\n@cocotb.test()\nasync def rtl_assert(dut):\n"
                        "    print('ERROR: rtl/vsq_lane.v:10: immediate assertion failed', flush=True)\n",
    "vsq_fault_fail": "import cocotb\n\n\n@cocotb.test()\nasync def fail(dut):\n    assert False, 'checked'\n",
    "vsq_fault_hang": "import time\nimport cocotb\n\n\n@cocotb.test()\nasync def hang(dut):\n"
                      "    while True:\n        time.sleep(1)\n",
}


def _job(tmp, test, seed, timeout=300, module=None):
    j = {"name": f"{test}.s{seed}", "test": test, "seed": seed, "timeout": timeout,
         "out_dir": str(tmp / "jobs" / f"{test}-s{seed}"),
         "repro": f"make sim TEST={test} SIM=icarus SEED={seed} PARAMS=fast WAVES=1"}
    if module:
        j["module"] = module
    return j


def _run_batch(tmp, jobs, stop=False):
    spec = tmp / "batch" / "batch.json"
    spec.parent.mkdir(parents=True, exist_ok=True)
    spec.write_text(json.dumps({"bench": "lane", "sim": "icarus", "params": "fast", "coverage": False,
                                "stop_at_failure": stop, "jobs": jobs}))
    for name, text in FAULTS.items():
        (tmp / f"{name}.py").write_text(text)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp), str(REPO)]))
    proc = subprocess.run([sys.executable, "-m", "tools.regress.batch", str(spec)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    outcomes = [Path(j["out_dir"]) / "outcome.json" for j in jobs]
    return proc, [json.loads(o.read_text()) if o.exists() else None for o in outcomes]


def _alone(tmp, test, seed):
    out = tmp / "alone" / f"{test}-s{seed}"
    subprocess.run([sys.executable, "-m", "tb.sim", "--test", test, "--sim", "icarus", "--seed", str(seed),
                    "--out", str(out)], cwd=REPO, check=True, capture_output=True, timeout=600)
    return out


def _compared(log):
    """The scoreboard's count line of a job's log: what it checked."""
    return [ln.split("]:", 1)[1] for ln in Path(log).read_text().splitlines() if "elements compared" in ln]


@needs_icarus
def test_batch_crash_and_hang_are_their_seeds_and_the_rest_runs(tmp_path):
    jobs = [_job(tmp_path, "lane_random_test", 11), _job(tmp_path, "crash", 12, module="vsq_fault_crash"),
            _job(tmp_path, "lane_rails_test", 13), _job(tmp_path, "hang", 14, timeout=5, module="vsq_fault_hang"),
            _job(tmp_path, "lane_random_test", 15)]
    proc, outs = _run_batch(tmp_path, jobs)
    assert proc.returncode == 0, proc.stderr
    ok = [0, 2, 4]
    for i in ok:
        assert outs[i]["returncode"] == 0 and not outs[i]["timed_out"]
        assert (Path(jobs[i]["out_dir"]) / "results.xml").exists()
        sim = results.junit_counts(Path(jobs[i]["out_dir"]) / "results.xml")[2]
        assert sim > 0 and outs[i]["seconds"] >= sim * 0.5
    assert outs[1]["returncode"] == 7 and not outs[1]["timed_out"]
    assert "ended in this job" in (Path(jobs[1]["out_dir"]) / "sim.log").read_text()
    assert outs[3]["timed_out"]
    # Three processes: the crash and the hang each ended one, the seeds after them ran in the next.
    assert sorted(p.name for p in (tmp_path / "batch").glob("segment*")) == ["segment0", "segment1", "segment2"]
    # Through the regression's collection: per-seed statuses.
    spec_jobs = [Job(j["test"], "lane", "icarus", "fast", j["seed"], j["timeout"], False) for j in jobs]
    got = batches.collect(spec_jobs, Outcome("b", 0, False, 1.0), tmp_path, lambda out, j: Path(jobs[
        spec_jobs.index(j)]["out_dir"]))
    assert [r.status for r in got] == ["pass", "error", "pass", "timeout", "pass"]


@needs_icarus
def test_batched_seeds_match_the_same_seeds_run_alone(tmp_path):
    sample = [("lane_random_test", 21), ("lane_saturation_test", 22), ("lane_random_test", 23)]
    jobs = [_job(tmp_path, t, s) for t, s in sample]
    proc, outs = _run_batch(tmp_path, jobs)
    assert proc.returncode == 0, proc.stderr
    for (test, seed), job in zip(sample, jobs):
        alone = _alone(tmp_path, test, seed)
        batched = Path(job["out_dir"])
        assert yaml.safe_load((batched / "coverage.yml").read_text()) == \
            yaml.safe_load((alone / "coverage.yml").read_text()), f"{test} seed {seed}: coverage differs"
        assert _compared(batched / "sim.log") == _compared(alone / "sim.log") != []
        assert f"random_seed\" value=\"{seed}\"" in (batched / "results.xml").read_text()
        assert f"[[ATTACHMENT|{batched / 'sim.log'}]]" in (batched / "results.xml").read_text()


@needs_icarus
def test_an_rtl_assertion_in_a_seeds_log_fails_that_seed_only(tmp_path):
    jobs = [_job(tmp_path, "rtl_assert", 31, module="vsq_fault_assert"), _job(tmp_path, "lane_rails_test", 32)]
    _, outs = _run_batch(tmp_path, jobs)
    assert [o["returncode"] for o in outs] == [1, 0]
    assert "assertion failed" in (Path(jobs[0]["out_dir"]) / "sim.log").read_text()
    assert "assertion failed" not in (Path(jobs[1]["out_dir"]) / "sim.log").read_text()


@needs_icarus
def test_stop_at_failure_ends_the_batch_at_its_first_failing_seed(tmp_path):
    # make mutate's batches: a failing test kills the simulator, the jobs after it never run.
    jobs = [_job(tmp_path, "lane_rails_test", 41), _job(tmp_path, "fail", 42, module="vsq_fault_fail"),
            _job(tmp_path, "lane_random_test", 43), _job(tmp_path, "lane_rails_test", 44)]
    _, outs = _run_batch(tmp_path, jobs, stop=True)
    assert outs[0]["returncode"] == 0 and outs[1] is not None and outs[2:] == [None, None]
    assert results.junit_counts(Path(jobs[1]["out_dir"]) / "results.xml")[1] == 1
    assert sorted(p.name for p in (tmp_path / "batch").glob("segment*")) == ["segment0"]


def test_plan_groups_by_build_and_chunks(tmp_path):
    jobs = [Job("lane_random_test", "lane", sim, "fast", s, 60, False) for sim in ("icarus", "verilator")
            for s in range(5)]
    key = lambda j: f"{j.bench}.{j.sim}.{j.params}.{int(j.coverage)}"  # noqa: E731
    planned = batches.plan(jobs, 2, tmp_path, lambda out, j: out / "jobs" / j.name, key)
    assert [len(c) for _, c in planned] == [2, 2, 1, 2, 2, 1]
    assert all({key(j) for j in c} == {t.after} for t, c in planned)
    assert planned[0][0].timeout == 2 * 60 + batches.SLACK
    spec = json.loads(Path(planned[0][0].argv[-1]).read_text())
    assert [j["seed"] for j in spec["jobs"]] == [0, 1] and spec["sim"] == "icarus"


def test_a_job_its_batch_never_ran_is_a_failure_with_the_reason(tmp_path):
    job = Job("lane_random_test", "lane", "icarus", "fast", 3, 60, False)
    (r,) = batches.collect([job], Outcome("b", -9, True, 9.0), tmp_path, lambda out, j: out / j.name)
    assert r.status == "error"  # a job its batch never ran is no timeout of its own
    assert "ran out of time" in r.message


def _res(name, status, dat):
    return JobResult(name, "t", "lane", "verilator", "fast", 1, status, 1.0, "", "", "", f"/d/{name}", 0.5, dat)


def test_code_coverage_of_a_segment_counts_only_when_all_its_seeds_passed():
    rs = [_res("a", "pass", "/s0/coverage.dat"), _res("b", "fail", "/s0/coverage.dat"),
          _res("c", "pass", "/s1/coverage.dat"), _res("d", "pass", "")]
    assert batches.code_coverage_files(rs) == [Path("/s1/coverage.dat"), Path("/d/d/coverage.dat")]


def test_last_run_times_split_long_batches_and_order_them_first(tmp_path):
    jobs = [Job("lane_random_test", "lane", "icarus", "fast", s, 60, False) for s in range(6)] + \
           [Job("engine_max_fit_test", "engine", "verilator", "paper", s, 60, False) for s in range(3)]
    last = {("lane_random_test", "icarus", "fast"): 1.0, ("engine_max_fit_test", "verilator", "paper"): 100.0}
    key = lambda j: f"{j.bench}.{j.sim}.{j.params}.{int(j.coverage)}"  # noqa: E731
    planned = batches.plan(jobs, 32, tmp_path, lambda out, j: out / "jobs" / j.name, key, last)
    sizes = [(c[0].test, len(c)) for _, c in planned]
    # 100 s jobs: a new batch once one holds >= BATCH_SECONDS; the long batches go first.
    assert sizes == [("engine_max_fit_test", 2), ("engine_max_fit_test", 1), ("lane_random_test", 6)]


def test_history_reads_the_last_runs_job_times(tmp_path):
    for i, secs in enumerate((2.0, 4.0)):
        d = tmp_path / "jobs" / f"j{i}"
        d.mkdir(parents=True)
        (d / "result.json").write_text(json.dumps({"test": "t", "sim": "icarus", "params": "fast", "seconds": secs}))
    assert batches.history(tmp_path) == {("t", "icarus", "fast"): 3.0}


def test_an_interrupted_batch_keeps_the_jobs_it_finished(tmp_path):
    done, running = (Job("lane_random_test", "lane", "icarus", "fast", s, 60, False) for s in (1, 2))
    d = tmp_path / done.name
    d.mkdir()
    (d / "outcome.json").write_text(json.dumps({"returncode": 0, "timed_out": False, "seconds": 2.0,
                                                "coverage_dat": ""}))
    (d / "results.xml").write_text('<testsuites><testsuite><testcase name="t" time="1.5"/></testsuite></testsuites>')
    (r,) = batches.collect_written([done, running], tmp_path, lambda out, j: out / j.name)
    assert (r.name, r.status, r.seconds, r.sim_seconds) == (done.name, "pass", 2.0, 1.5)
