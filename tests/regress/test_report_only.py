"""`make regress REPORT_ONLY=1`: re-merge and re-report the jobs of an earlier
run without running anything (tools/regress/__main__.py). No simulator."""

import json

from tools.regress.__main__ import main


def _job(out, name, status):
    d = out / "jobs" / name
    d.mkdir(parents=True)
    test = name.split(".")[0]
    (d / "result.json").write_text(json.dumps({
        "name": name, "test": test, "bench": "lane", "sim": "icarus", "params": "fast", "seed": 1,
        "status": status, "seconds": 1.0, "message": "" if status == "pass" else "expected 1, got 2",
        "repro": f"make sim TEST={test} SIM=icarus SEED=1 PARAMS=fast WAVES=1", "log": str(d / "job.log"),
        "directory": str(d)}))


def test_reports_the_jobs_already_run(tmp_path, capsys):
    _job(tmp_path, "lane_random_test.icarus.fast.s1", "pass")
    _job(tmp_path, "lane_mode_test.icarus.fast.s1", "fail")
    assert main(["--regression", "smoke", "--report-only", "--out", str(tmp_path)]) == 1
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert (summary["tests"], summary["passed"], summary["failed"]) == (2, 1, 1)
    assert (tmp_path / "report.html").exists() and (tmp_path / "junit.xml").exists()
    assert "reproduce: make sim TEST=lane_mode_test" in capsys.readouterr().out


def test_nothing_to_report_is_one_line(tmp_path, capsys):
    assert main(["--regression", "smoke", "--report-only", "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == f"regress: no job results in {tmp_path / 'jobs'} to report"


def test_summary_says_where_the_jobs_time_went(tmp_path):
    _job(tmp_path, "lane_random_test.icarus.fast.s1", "pass")
    _job(tmp_path, "lane_mode_test.icarus.fast.s1", "pass")
    f = tmp_path / "jobs" / "lane_mode_test.icarus.fast.s1" / "result.json"
    f.write_text(json.dumps(dict(json.loads(f.read_text()), sim_seconds=0.75, seconds=3.0)))
    assert main(["--regression", "smoke", "--report-only", "--out", str(tmp_path)]) == 0
    summary = json.loads((tmp_path / "summary.json").read_text())
    # A result.json without sim_seconds (an older run) counts as no simulation time.
    assert (summary["sim_seconds"], summary["job_seconds"], summary["efficiency"]) == (0.8, 4.0, 0.188)
