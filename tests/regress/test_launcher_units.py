"""Fast tests of the launcher seam and of the Slurm launcher's pure parts, no
Slurm needed: Slurm state -> Outcome -> result, time limits, sacct parsing,
the task wrapper, and the local launcher's two stages. The live tests against
a real Slurm are in test_slurm_live.py."""

import json
import sys

import pytest

from tools.regress import results
from tools.regress.launcher import LocalLauncher, Outcome, Task
from tools.regress.launcher_slurm import classify, parse_elapsed, parse_sacct, task_main, time_limit_minutes
from tools.regress.spec import Job

JOB = Job("lane_random_test", "lane", "icarus", "fast", 7, 600, False)
PASSING_XML = ('<testsuites><testsuite name="t"><testcase classname="t" name="lane_random_test"/>'
               '</testsuite></testsuites>')


@pytest.mark.parametrize("seconds,minutes", [(1, 1), (59, 1), (60, 1), (61, 2), (600, 10), (1800, 30), (3600, 60)])
def test_time_limit_rounds_up_to_minutes(seconds, minutes):
    assert time_limit_minutes(seconds) == minutes


@pytest.mark.parametrize("text,seconds", [("67", 67), ("1:07", 67), ("01:01:07", 3667), ("2-00:00:01", 172801),
                                          ("", None), ("INVALID", None)])
def test_parse_elapsed(text, seconds):
    assert parse_elapsed(text) == seconds


def test_parse_sacct_accounting_and_completion_log():
    acct = "12_0|COMPLETED|14\n12_1|CANCELLED by 0|3\n12_2|TIMEOUT|87\n"
    assert parse_sacct(acct) == {"12_0": ("COMPLETED", 14), "12_1": ("CANCELLED by 0", 3), "12_2": ("TIMEOUT", 87)}
    # sacct --completion lists the array tasks' own job ids.
    comp = "15|TIMEOUT|87\n16|CANCELLED|2\n99|COMPLETED|1\n"
    assert parse_sacct(comp, {"15": "12_2", "16": "12_1"}) == {"12_2": ("TIMEOUT", 87), "12_1": ("CANCELLED", 2)}


OK_RECORD = {"rc": 0, "seconds": 12.5}
FAIL_RECORD = {"rc": 1, "seconds": 3.0}

# (squeue state, exit record, sacct State, squeue reason) -> (returncode, timed_out, words in the reason)
CASES = {
    "completed": ("COMPLETED", OK_RECORD, "", "None", 0, False, None),
    "failed": ("FAILED", FAIL_RECORD, "", "NonZeroExitCode", 1, False, None),
    "purged but recorded": (None, OK_RECORD, "", "", 0, False, None),
    "timeout": ("TIMEOUT", None, "TIMEOUT", "TimeLimit", -1, True, ["killed by Slurm", "TIMEOUT", "--time=1"]),
    "timeout per squeue only": ("TIMEOUT", None, "", "TimeLimit", -1, True, ["TIMEOUT", "TimeLimit"]),
    "cancelled": ("CANCELLED", None, "CANCELLED by 0", "None", -1, False, ["killed by Slurm: CANCELLED by 0"]),
    "node fail": ("NODE_FAIL", None, "NODE_FAIL", "NodeDown", -1, False, ["NODE_FAIL", "NodeDown"]),
    "preempted": ("PREEMPTED", None, "PREEMPTED", "", -1, False, ["PREEMPTED"]),
    "out of memory": ("OUT_OF_MEMORY", None, "OUT_OF_MEMORY", "", -1, False, ["OUT_OF_MEMORY"]),
    "boot fail": ("BOOT_FAIL", None, "", "", -1, False, ["BOOT_FAIL"]),
    "deadline": ("DEADLINE", None, "DEADLINE", "", -1, False, ["DEADLINE"]),
    # sacct knows better than a purged queue entry
    "vanished, sacct says timeout": (None, None, "TIMEOUT", "", -1, True, ["TIMEOUT"]),
    "vanished, nothing known": (None, None, "", "", -1, False, ["lost by Slurm"]),
    "completed, no exit record": ("COMPLETED", None, "", "", -1, False, ["without an exit status"]),
    # a kill wins over an exit record (e.g. the task's command had ended, the wrapper was killed)
    "killed after the record": ("CANCELLED", OK_RECORD, "CANCELLED by 0", "", -1, False, ["CANCELLED by 0"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_slurm_state_to_outcome_to_result(case, tmp_path):
    state, record, sacct_state, sq_reason, rc, timed_out, words = CASES[case]
    o = classify("k", state, record, sacct_state=sacct_state, squeue_reason=sq_reason, seconds=5, time_limit=1)
    assert (o.returncode, o.timed_out) == (rc, timed_out)
    # A stale passing results.xml in the directory must not turn a killed job into a pass.
    (tmp_path / "results.xml").write_text(PASSING_XML)
    r = results.collect(JOB, tmp_path, o)
    assert json.loads((tmp_path / "result.json").read_text())["status"] == r.status
    if words is None:
        assert o.reason == ""
        assert r.status == ("pass" if rc == 0 else "fail")
    else:
        assert r.status == ("timeout" if timed_out else "error")
        for w in words:
            assert w in o.reason and w in r.message, (w, o.reason, r.message)


def test_local_outcome_results_unchanged(tmp_path):
    (tmp_path / "results.xml").write_text(PASSING_XML)
    assert results.collect(JOB, tmp_path, Outcome("k", 0, False, 1.0)).status == "pass"
    r = results.collect(JOB, tmp_path, Outcome("k", -9, True, 600.0))
    assert (r.status, r.message) == ("timeout", "killed after the 600 s timeout")


def test_local_launcher_stages_skip_after_a_failed_build(tmp_path):
    t = lambda key, ok, after=None: Task(key, [sys.executable, "-c", f"raise SystemExit({0 if ok else 3})"],
                                        str(tmp_path / key), 60, after=after)
    first = [t("build_ok", True), t("build_bad", False)]
    then = [t("run_a", True, "build_ok"), t("run_b", False, "build_ok"), t("run_c", True, "build_bad")]
    outs = list(LocalLauncher(2).run_stages(first, then))
    by = {o.key: o for o in outs}
    assert {o.key for o in outs[:2]} == {"build_ok", "build_bad"}  # the builds come first
    assert by["build_bad"].returncode == 3 and by["run_c"].skipped
    assert by["run_a"].returncode == 0 and not by["run_a"].skipped
    assert by["run_b"].returncode == 3
    assert not (tmp_path / "run_c").exists()
    assert (tmp_path / "run_a" / "job.log").read_text().startswith("$ ")


def test_task_wrapper_runs_its_manifest_line(tmp_path, monkeypatch):
    lines = []
    for i, code in enumerate((0, 5)):
        lines.append(json.dumps({"key": f"t{i}", "argv": [sys.executable, "-c", f"print('hello {i}'); raise SystemExit({code})"],
                                 "directory": str(tmp_path / f"t{i}"), "cwd": str(tmp_path),
                                 "rc": str(tmp_path / f"rc{i}.json")}))
    manifest = tmp_path / "m.jsonl"
    manifest.write_text("\n".join(lines) + "\n")
    monkeypatch.setenv("SLURM_ARRAY_JOB_ID", "42")
    monkeypatch.setenv("SLURM_ARRAY_TASK_ID", "1")
    assert task_main([str(manifest)]) == 5
    log = (tmp_path / "t1" / "job.log").read_text()
    assert log.startswith("$ ") and "hello 1" in log
    rec = json.loads((tmp_path / "rc1.json").read_text())
    assert rec["rc"] == 5 and rec["job"] == "42_1"
    assert not (tmp_path / "rc0.json").exists()


def test_same_bug_under_both_simulators_is_one_bucket():
    a = "1 mismatching element(s): expected 8388607, got 8388606. Reproduce: make sim TEST=t SIM=icarus SEED=5"
    b = "3 mismatching element(s): expected 12, got 10. Reproduce: make sim TEST=t SIM=verilator SEED=9"
    assert results.normalize(a) == results.normalize(b) == "<n> mismatching element(s): expected <n>, got <n>."
