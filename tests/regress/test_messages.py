"""A failed job's one-line message (tools/regress/messages.py) from real cocotb
output: tests/regress/data/messages/ holds the results.xml and sim.log of
three deliberately broken runs (Icarus, cocotb 2.1), with the clone's paths
replaced by @REPO@/@VENV@/@DIR@:
- timeout: vsq_fifo's out_valid needing two entries; softmax_clear_test's
  driver times out in `with_timeout(RisingEdge(dut.done), ...)`;
- assertion: vsq_sat_add subtracting; lane_random_test's scoreboard raises;
- sim_exit: `initial #100 $finish;` in vsq_lane: the simulator ends early;
- x_value: a vsq_dot mutant (make mutate) drives x: the lane monitor's
  conversion raises ValueError outside the scoreboard.
And the build that cannot run (no simulator on PATH): its jobs are not run,
with the build's reason in their bucket."""

import json
import re
import sys
from pathlib import Path

from tools.regress import messages, results
from tools.regress.__main__ import main

DATA = Path(__file__).parent / "data" / "messages"
REPO = Path(__file__).resolve().parents[2]


def _job_dir(tmp_path, sample, results_text=None):
    d = tmp_path / sample
    d.mkdir()
    for name in ("results.xml", "sim.log"):
        text = (DATA / sample / name).read_text()
        text = text.replace("@REPO@", str(REPO)).replace("@VENV@", str(REPO / ".venv")).replace("@DIR@", str(d))
        (d / name).write_text(text)
    if results_text is not None:
        (d / "results.xml").write_text(results_text)
    return d


def test_a_timeout_names_what_was_awaited_and_where(tmp_path):
    d = _job_dir(tmp_path, "timeout")
    assert messages.failure_message(d, 1) == (
        "SimTimeoutError: timed out waiting for RisingEdge(dut.done) "
        "(tb/common/unit_job_driver.py:94 in execute) at 2002610 ns")
    # The log alone has no "...Error: " line: the old extraction said "no error message".
    assert messages.from_logs(d / "sim.log") is None


def test_an_assertion_gives_cocotbs_message(tmp_path):
    d = _job_dir(tmp_path, "assertion")
    msg = messages.failure_message(d, 1)
    assert msg.startswith("AssertionError: 5 mismatching element(s); first: step 0 (int4, first=True")
    assert results.normalize(msg) == results.normalize(msg.replace("-67", "-12").replace("SEED=5", "SEED=9"))


def test_a_simulator_exit_is_placed_in_time(tmp_path):
    msg = messages.failure_message(_job_dir(tmp_path, "sim_exit"), 1)
    assert msg.startswith("SimFailure: cocotb expected it would shut down the simulation")
    assert msg.endswith("(sim time 100 ns)")


def test_an_exception_outside_the_scoreboard_says_where(tmp_path):
    assert messages.failure_message(_job_dir(tmp_path, "x_value"), 1) == (
        "ValueError: Can't convert LogicArray to int: it contains non-0/1 values (at tb/lane/monitor.py:38)")


def test_an_empty_message_takes_the_tracebacks_last_line(tmp_path):
    # cocotb's format for a bare `assert` in a test: empty message, the traceback in the text.
    xml = (DATA / "assertion" / "results.xml").read_text()
    start, end = xml.index("<failure"), xml.index("</failure>")
    bare = ('<failure message="" type="AssertionError">Traceback (most recent call last):\n'
            '  File "@REPO@/tb/top/tests/top_busy_start_test.py", line 40, in run_body\n'
            '    assert int(self.dut.irq.value) == 0\nAssertionError\n')
    d = _job_dir(tmp_path, "assertion", (xml[:start] + bare + xml[end:]).replace("@REPO@", str(REPO)))
    assert messages.failure_message(d, 1) == "AssertionError (at tb/top/tests/top_busy_start_test.py:40)"


def test_no_message_only_when_there_is_none_with_the_exit_code(tmp_path):
    assert messages.failure_message(tmp_path, 1) == "no error message in the logs (exit code 1)"
    assert messages.failure_message(tmp_path, -11) == "no error message in the logs (killed by signal 11)"
    (tmp_path / "job.log").write_text("$ python -m tb.sim ...\nsim: unknown test 'x'\n")
    assert messages.failure_message(tmp_path, 2) == "unknown test 'x'"


def test_jobs_of_a_failed_build_are_not_run_with_its_reason(tmp_path, monkeypatch, capsys):
    # No simulator on PATH: only the venv's bin (python, no iverilog).
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent))
    rc = main(["--regression", "lane", "--sim", "icarus", "--seeds", "1", "--jobs", "1", "--out", str(tmp_path)])
    assert rc == 1
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert (summary["passed"], summary["failed"], summary["not_run"]) == (0, 0, summary["tests"])
    (bucket,) = summary["buckets"]
    assert bucket["count"] == summary["tests"] and bucket["message"] == (
        "not run: the build of lane for icarus/fast with coverage failed: "
        "simulator 'icarus' not found: 'iverilog' is not on PATH (run `make setup`)")
    assert "not run (their build failed)" in capsys.readouterr().out


def test_a_jobs_simulation_time_is_cocotbs_test_time(tmp_path):
    d = _job_dir(tmp_path, "timeout")
    tests, failures, sim = results.junit_counts(d / "results.xml")
    times = re.findall(r'<testcase [^>]*time="([\d.]+)"', (d / "results.xml").read_text())
    assert (tests, failures) == (len(times), 1) and sim == sum(map(float, times)) and sim > 0
    assert results.junit_counts(d / "missing.xml") is None
