"""The Slurm launcher against a live, throw-away single-node Slurm on loopback
(tools/slurm/cluster.sh), started for this module and stopped at its end,
also when a test fails.

Run with `make test-slurm` (VSQ_SLURM_LIVE=1, root): it installs Debian's
slurm-wlm and munge when missing; when they cannot be installed the tests are
skipped with the reason. Without VSQ_SLURM_LIVE=1 (e.g. in `make test`) they
are skipped too: they install packages and start daemons.

- killed jobs: a task over its time limit and a cancelled task come back as
  failures with Slurm's reason (from sacct), even with a passing results.xml
  left in their directory; a failed build's runs are skipped, not run.
- Ctrl-C while waiting cancels every submitted job (scancel).
- a regression through Slurm gives the same pass/fail per job and the same
  merged coverage as the local launcher on the same seeds. By default the lane
  regression, Icarus, 1 seed (a few minutes); VSQ_SLURM_REGRESSION,
  VSQ_SLURM_SIM ("" for both simulators) and VSQ_SLURM_SEEDS choose another.
"""

import atexit
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from tb.common.testbench import REPO
from tools.regress import coverage, results
from tools.regress.launcher import Task
from tools.regress.spec import Job

CLUSTER = REPO / "tools" / "slurm" / "cluster.sh"
PASSING_XML = ('<testsuites><testsuite name="t"><testcase classname="t" name="t"/>'
               '</testsuite></testsuites>')


def _tail(p, n=15):
    return "\n".join(((p.stdout or "") + (p.stderr or "")).strip().splitlines()[-n:])


@pytest.fixture(scope="module")
def slurm(request):
    """A started cluster, with SLURM_CONF set for this process; yields (state
    directory, work directory). The work directory is on the shared
    filesystem, as the launcher requires, and is kept when a test failed."""
    if os.environ.get("VSQ_SLURM_LIVE") != "1":
        pytest.skip("live Slurm tests run with `make test-slurm` (VSQ_SLURM_LIVE=1): "
                    "they install slurm-wlm and munge and start a throw-away cluster")
    if os.geteuid() != 0:
        pytest.skip("live Slurm tests need root (the throw-away cluster's daemons run as root)")
    p = subprocess.run(["bash", str(CLUSTER), "install"], capture_output=True, text=True, timeout=900)
    if p.returncode == 3:
        pytest.skip(f"slurm-wlm/munge cannot be installed: {_tail(p, 5)}")
    assert p.returncode == 0, f"cluster.sh install failed:\n{_tail(p)}"
    state = tempfile.mkdtemp(prefix="vsq-slurm-test.")
    stopped = []

    def stop():
        if not stopped:
            stopped.append(1)
            subprocess.run(["bash", str(CLUSTER), "stop", "--dir", state], capture_output=True, timeout=120)

    atexit.register(stop)  # also when the session is interrupted
    old = os.environ.get("SLURM_CONF")
    try:
        t0 = time.monotonic()
        p = subprocess.run(["bash", str(CLUSTER), "start", "--dir", state], capture_output=True, text=True,
                           timeout=120)
        if p.returncode == 3:
            pytest.skip(f"cannot start the Slurm cluster: {_tail(p, 5)}")
        assert p.returncode == 0, f"cluster.sh start failed:\n{_tail(p, 40)}"
        print(f"\nslurm: cluster up in {time.monotonic() - t0:.1f} s ({state})")
        os.environ["SLURM_CONF"] = f"{state}/slurm.conf"
        work = REPO / "build" / "slurm-test" / Path(state).name
        work.mkdir(parents=True)
        failed_before = request.session.testsfailed
        yield Path(state), work
        if request.session.testsfailed == failed_before:
            shutil.rmtree(work, ignore_errors=True)
    finally:
        if old is None:
            os.environ.pop("SLURM_CONF", None)
        else:
            os.environ["SLURM_CONF"] = old
        stop()


class Deadline:
    """Ctrl-C to ourselves after `seconds`, so a hung wait ends (and cancels its jobs)."""

    def __init__(self, seconds):
        self.timer = threading.Timer(seconds, os.kill, (os.getpid(), signal.SIGINT))

    def __enter__(self):
        # A shell's background job (`cmd &`, nohup) starts with SIGINT ignored,
        # and Python then keeps it ignored: make Ctrl-C raise KeyboardInterrupt.
        self.previous = signal.signal(signal.SIGINT, signal.default_int_handler)
        self.timer.start()
        return self

    def __exit__(self, *exc):
        self.timer.cancel()
        signal.signal(signal.SIGINT, self.previous)


def _squeue(jobname):
    p = subprocess.run(["squeue", "-h", "-r", "-t", "all", "-n", jobname, "-o", "%i %T"],
                       capture_output=True, text=True, check=True)
    return dict(line.split() for line in p.stdout.splitlines())


def test_killed_jobs_are_failures_with_slurms_reason(slurm):
    from tools.regress.launcher_slurm import SlurmLauncher

    work = slurm[1] / "killed"
    py = sys.executable

    def write_pass(d):  # a command that leaves a passing results.xml, then exits with `code`
        return lambda code: [py, "-c", f"open({str(d / 'results.xml')!r}, 'w').write({PASSING_XML!r}); "
                                       f"raise SystemExit({code})"]

    d = {k: work / k for k in ("b_ok", "b_bad", "ok", "fail", "timeout", "cancelled", "blocked")}
    builds = [Task("b_ok", ["true"], str(d["b_ok"]), 60), Task("b_bad", ["false"], str(d["b_bad"]), 60)]
    runs = [Task("ok", write_pass(d["ok"])(0), str(d["ok"]), 60, after="b_ok"),
            Task("fail", write_pass(d["fail"])(3), str(d["fail"]), 60, after="b_ok"),
            # 1 s timeout -> --time=1 (minute); Slurm kills it about a minute later
            Task("timeout", ["sleep", "600"], str(d["timeout"]), 1, after="b_ok"),
            Task("cancelled", ["sh", "-c", "scancel ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}; sleep 120"],
                 str(d["cancelled"]), 600, after="b_ok"),
            Task("blocked", ["true"], str(d["blocked"]), 60, after="b_bad")]
    # A passing results.xml left from an earlier run must not make a killed job pass.
    for k in ("timeout", "cancelled"):
        d[k].mkdir(parents=True)
        (d[k] / "results.xml").write_text(PASSING_XML)

    launcher = SlurmLauncher(work / "slurm", name="killed", poll=2)
    t0 = time.monotonic()
    with Deadline(400):
        outs = {o.key: o for o in launcher.run_stages(builds, runs)}
    wall = time.monotonic() - t0
    assert set(outs) == {t.key for t in builds + runs}
    assert outs["b_ok"].returncode == 0 and outs["b_bad"].returncode == 1
    assert outs["blocked"].skipped and not (d["blocked"] / "job.log").exists(), "a run after a failed build ran"

    res = {}
    for t in runs:
        if t.key != "blocked":
            job = Job(t.key, "lane", "icarus", "fast", 1, t.timeout, False)
            res[t.key] = results.collect(job, t.directory, outs[t.key])
    print(f"\nslurm: killed-jobs run took {wall:.0f} s; reasons via sacct mode '{launcher._sacct_mode}'")
    for k, r in res.items():
        print(f"  {k:10s} {r.status:8s} {r.message}")
    assert {k: r.status for k, r in res.items()} == {
        "ok": "pass", "fail": "fail", "timeout": "timeout", "cancelled": "error"}
    assert "killed by Slurm: TIMEOUT" in res["timeout"].message and "--time=1" in res["timeout"].message
    assert "killed by Slurm: CANCELLED" in res["cancelled"].message
    # The reasons came from sacct (accounting, or the job completion log without slurmdbd).
    assert launcher._sacct_mode in ("acct", "completion")
    assert "regress: killed by Slurm: TIMEOUT" in (d["timeout"] / "job.log").read_text()
    # Nothing of ours is left in the queue unfinished.
    left = {k: v for k, v in _squeue(launcher.jobname).items() if v in ("PENDING", "RUNNING", "COMPLETING")}
    assert not left


def test_ctrl_c_cancels_what_was_submitted(slurm):
    from tools.regress.launcher_slurm import SlurmLauncher

    work = slurm[1] / "ctrlc"
    # Three sleepers on a 2-CPU node: some run, the others pend.
    tasks = [Task(f"s{i}", ["sleep", "300"], str(work / f"s{i}"), 600) for i in range(3)]
    launcher = SlurmLauncher(work / "slurm", name="ctrlc", poll=1)
    ended = []
    with Deadline(8):
        with pytest.raises(KeyboardInterrupt):
            for o in launcher.run(tasks):
                ended.append(o)
    assert not ended
    deadline = time.monotonic() + 30
    while True:
        states = _squeue(launcher.jobname)
        if states and all(s == "CANCELLED" for s in states.values()) or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert len(states) == 3 and set(states.values()) == {"CANCELLED"}, states


def _regress(args, out, log):
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    with open(log, "w") as f:
        p = subprocess.run([sys.executable, "-m", "tools.regress", *args, "--out", str(out)], cwd=REPO,
                           stdout=f, stderr=subprocess.STDOUT, timeout=3600)
    return p.returncode, time.monotonic() - t0


def _statuses(out):
    return {json.loads(f.read_text())["name"]: json.loads(f.read_text())["status"]
            for f in sorted((out / "jobs").glob("*/result.json"))}


def _merged_functional(out):
    rs = [json.loads(f.read_text()) for f in sorted((out / "jobs").glob("*/result.json"))]
    return coverage.merge_functional([Path(r["directory"]) / "coverage.yml" for r in rs
                                      if r["status"] == "pass" and (Path(r["directory"]) / "coverage.yml").exists()])


SUMMARY_KEYS = ("tests", "passed", "failed", "line_coverage", "branch_coverage", "toggle_coverage",
                "functional_coverage", "functional_by_covergroup")


def test_regression_through_slurm_matches_local(slurm):
    name = os.environ.get("VSQ_SLURM_REGRESSION", "lane")
    sim = os.environ.get("VSQ_SLURM_SIM", "icarus")
    seeds = os.environ.get("VSQ_SLURM_SEEDS", "1")
    args = ["--regression", name, "--seed", "7"] + (["--seeds", seeds] if seeds else []) + \
           (["--sim", sim] if sim else [])
    work = slurm[1] / name
    rc_local, t_local = _regress(args + ["--jobs", str(os.cpu_count() or 2)], work / "local", work / "local.log")
    rc_slurm, t_slurm = _regress(args + ["--launcher", "slurm", "--poll", "2"], work / "slurm", work / "slurm.log")
    local, through = _statuses(work / "local"), _statuses(work / "slurm")
    s_local = json.loads((work / "local" / "summary.json").read_text())
    s_slurm = json.loads((work / "slurm" / "summary.json").read_text())
    f_local, f_slurm = _merged_functional(work / "local"), _merged_functional(work / "slurm")
    comparison = {
        "regression": args, "local_seconds": round(t_local, 1), "slurm_seconds": round(t_slurm, 1),
        "jobs": len(local), "same_statuses": local == through,
        "same_summary": all(s_local[k] == s_slurm[k] for k in SUMMARY_KEYS),
        "same_functional_bins": f_local == f_slurm, "functional_coverage": s_slurm["functional_coverage"],
        "statuses_local": local, "statuses_slurm": through,
    }
    (work / "comparison.json").write_text(json.dumps(comparison, indent=1))
    print(f"\nslurm: {' '.join(args)}: {len(local)} jobs; local {t_local:.0f} s, Slurm {t_slurm:.0f} s; "
          f"identical statuses {local == through}, summaries {comparison['same_summary']}, "
          f"functional bins {f_local == f_slurm}; details in {work / 'comparison.json'}")
    assert local, f"no jobs ran locally: see {work / 'local.log'}"
    assert local == through, f"pass/fail differs per job: see {work / 'comparison.json'}"
    for k in SUMMARY_KEYS:
        assert s_local[k] == s_slurm[k], (k, s_local[k], s_slurm[k])
    assert f_local == f_slurm, "merged functional coverage bins differ"
    assert rc_local == rc_slurm == 0, f"the regression failed: see {work / 'local.log'} and {work / 'slurm.log'}"
