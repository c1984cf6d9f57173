"""Run a batch: several (test, seed) jobs of one build in one simulator
process. `python -m tools.regress.batch BATCH.json` (written by
tools/regress/__main__.py; one launcher task per batch).

The one Python start of the batch: this process checks the build, writes
every job's job file (as tb.sim does for one job) and spawns the simulator
itself, with the environment cocotb's runner prepares, running tb.batch (the
in-simulator side). It reads the simulator's output line by line: the job
markers split it into each job's sim.log and time each job. A job that runs
past its own timeout gets the simulator killed and is that job's timeout; a
simulator that ends inside a job (a crash, an RTL assertion that stops it)
is that job's failure. The jobs not yet run then start in a new simulator
process (a segment), so none is lost. Each job's outcome.json (exit code,
timed out, seconds, simulation seconds, the segment's code-coverage file) is
written as the job ends: an interrupted batch keeps what finished.

A job's `seconds` is its share of the process: from the segment's spawn (the
first job) or the previous job's end to its own end, and the last job of a
segment also gets the simulator's teardown; summed they give the batch's
wall time. The simulation's own time is the test's time in its results.xml
(tools/regress/results.py reads it).
With "stop_at_failure" in the batch (make mutate: a mutant is killed by its
first failing test) the simulator is killed as soon as a job fails, and the
jobs after it get no outcome.
Exit 0 when every job got an outcome (or, stopping at a failure, every job up
to it), 1 otherwise.
"""

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from tb.common.params import param_set
from tb.common.testbench import REPO, all_tests, testbenches
from tb.sim import TIMESCALE, Refusal, build, rtl_assertion, write_job
from tools.regress.results import junit_counts, status_of

MARK = "@@vsq-batch "


def prepare(batch, bench, params):
    """Each job's directory, stale outputs removed, and its job file."""
    for job in batch["jobs"]:
        d = Path(job["out_dir"])
        d.mkdir(parents=True, exist_ok=True)
        for stale in ("results.xml", "outcome.json", "coverage.yml", "coverage.dat", "sim.log"):
            (d / stale).unlink(missing_ok=True)
        job["job_file"] = str(write_job(d, {
            "test": job["test"], "sim": batch["sim"], "param_set": batch["params"], "params": params,
            "out_dir": str(d), "repro": job["repro"]}))
        job.setdefault("module", bench.test_module(job["test"]))  # a test may bring its own (tests/)
        job["results"] = str(d / "results.xml")
        job["log"] = str(d / "sim.log")


def command(runner, bench, batch, params, seg_dir, sim_batch):
    """(argv, env) of the simulator for one segment, as cocotb's runner would run it."""
    # Under pytest (tests/) cocotb's runner would read the results itself and exit: not here.
    os.environ.pop("PYTEST_CURRENT_TEST", None)
    captured = {}
    runner._execute = lambda cmds, cwd: captured.update(cmds=cmds)
    env = {"VSQ_BATCH": str(sim_batch),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
           "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    plusargs = []
    if batch["sim"] == "verilator" and batch["coverage"]:
        plusargs.append(f"+verilator+coverage+file+{seg_dir / 'coverage.dat'}")
    runner.test(test_module="tb.batch", hdl_toplevel=bench.toplevel, build_dir=runner.build_dir,
                test_dir=seg_dir, results_xml=str(seg_dir / "results.xml"), seed=batch["jobs"][0]["seed"],
                extra_env=env, plusargs=plusargs, waves=False, log_file=seg_dir / "sim.log",
                parameters=bench.verilog_params(params), timescale=TIMESCALE)
    (cmd,) = captured["cmds"]
    return [str(c) for c in cmd], dict(runner.env)


class Segment:
    """One simulator process over the jobs not run yet."""

    def __init__(self, jobs, seg_dir):
        self.jobs = jobs
        self.current = None  # index into jobs of the job running now
        self.seen = None  # when its start marker arrived (monotonic)
        self.ended = {}  # index -> the simulator's time.time() at its end marker
        self.log = open(seg_dir / "sim.log", "w")
        self.job_log = None

    def line(self, text):
        if text.startswith(MARK):
            what, idx, when = text[len(MARK):].split()
            idx, when = int(idx), float(when)
            if what == "start":
                self.current, self.seen = idx, time.monotonic()
                self.job_log = open(Path(self.jobs[idx]["out_dir"]) / "sim.log", "w")
            else:
                self.ended[idx] = when
                self.current = None
                self.job_log.close()
                self.job_log = None
            return
        self.log.write(text)
        if self.job_log is not None:
            self.job_log.write(text)
            self.job_log.flush()

    def close(self):
        for f in (self.job_log, self.log):
            if f is not None:
                f.close()


def failed(job):
    """Whether a job that has an outcome failed (results.status_of on its outcome and results.xml)."""
    try:
        o = json.loads((Path(job["out_dir"]) / "outcome.json").read_text())
    except (OSError, ValueError):
        return False
    return status_of(junit_counts(job["results"]), o["returncode"], o["timed_out"]) != "pass"


def ended_failing(job):
    """Whether a job the simulator just ended failed, judged as its outcome will be
    (its results.xml is written before its end marker; an RTL assertion fails it)."""
    return status_of(junit_counts(job["results"]), _assertion_rc(job), False) != "pass"


def _assertion_rc(job):
    """The exit code of an ended job: 1 with an RTL assertion in its log (as tb.sim), else 0."""
    return 1 if rtl_assertion(job["out_dir"]) else 0


def run_segment(jobs, argv, env, seg_dir, write_outcome, coverage_dat, stop=False):
    """Run `jobs` in one simulator process; writes the outcome of each job
    that ended, timed out or crashed. Returns the jobs not run. With `stop`,
    the simulator is killed once a job ended failing (the jobs after it not run)."""
    seg = Segment(jobs, seg_dir)
    spawn = time.time()
    # Line-buffered output of the simulator's C side too, so an RTL message lands in its job's log.
    prefix = ["stdbuf", "-oL", "-eL"] if shutil.which("stdbuf") else []
    proc = subprocess.Popen(prefix + argv, cwd=seg_dir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, text=True, errors="replace", bufsize=1)
    reader = threading.Thread(target=lambda: [seg.line(t) for t in proc.stdout], daemon=True)
    reader.start()
    hung, stopped, checked = None, False, set()
    while proc.poll() is None:
        cur = seg.current
        if cur is not None and time.monotonic() - seg.seen > jobs[cur]["timeout"]:
            hung = cur
            proc.kill()
            break
        if stop:
            new = [i for i in list(seg.ended) if i not in checked]
            checked.update(new)
            if any(ended_failing(jobs[i]) for i in new):
                stopped = True
                proc.kill()
                break
        time.sleep(0.05)
    rc = proc.wait()
    reader.join(10)
    end = time.time()
    last_end = max(seg.ended.values(), default=None)
    prev = spawn
    for i in sorted(seg.ended):
        took = (end if seg.ended[i] == last_end and seg.current is None else seg.ended[i]) - prev
        prev = seg.ended[i]
        write_outcome(jobs[i], _assertion_rc(jobs[i]), False, took, coverage_dat)
    # Stopped at a failure: a job started since is not run (no outcome), not a crash.
    broken = None if stopped else seg.current if seg.current is not None else hung
    if broken is not None and broken not in seg.ended:
        if seg.job_log is not None:
            seg.job_log.write(f"\nregress: killed after the {jobs[broken]['timeout']} s timeout\n"
                              if broken == hung else f"\nregress: the simulator ended in this job (exit {rc})\n")
        write_outcome(jobs[broken], -9 if broken == hung else (rc or 1), broken == hung, end - prev,
                      coverage_dat)
    seg.close()
    done = set(seg.ended) | ({broken} if broken is not None else set())
    if not done:  # the simulator ran none of them (an import error, say): each job fails with its log
        for job in jobs:
            shutil.copy(seg_dir / "sim.log", Path(job["out_dir"]) / "sim.log")
            write_outcome(job, rc or 1, False, (end - spawn) / len(jobs), "")
        return []
    return [j for i, j in enumerate(jobs) if i not in done]


def run(batch_file):
    batch = json.loads(Path(batch_file).read_text())
    bench = testbenches()[batch["bench"]] if "bench" in batch else all_tests()[batch["jobs"][0]["test"]]
    params = param_set(batch["params"])
    root = Path(batch_file).parent
    runner, _ = build(bench, batch["sim"], batch["params"], coverage=batch["coverage"], quiet=True)
    prepare(batch, bench, params)

    def write_outcome(job, rc, timed_out, seconds, dat):
        # the job's simulation time is read back from its own results.xml (tools/regress/results.py)
        out = {"returncode": rc, "timed_out": timed_out, "seconds": round(seconds, 3), "coverage_dat": dat}
        (Path(job["out_dir"]) / "outcome.json").write_text(json.dumps(out) + "\n")

    stop = batch.get("stop_at_failure", False)
    todo, k = list(batch["jobs"]), 0
    while todo:
        seg_dir = root / f"segment{k}"
        seg_dir.mkdir(parents=True, exist_ok=True)
        (seg_dir / "coverage.dat").unlink(missing_ok=True)
        sim_batch = seg_dir / "batch.json"
        sim_batch.write_text(json.dumps({"jobs": [{key: j[key] for key in ("test", "module", "seed", "job_file",
                                                                            "results", "log")} for j in todo]}))
        argv, env = command(runner, bench, batch, params, seg_dir, sim_batch)
        dat = str(seg_dir / "coverage.dat") if batch["sim"] == "verilator" and batch["coverage"] else ""
        todo = run_segment(todo, argv, env, seg_dir, write_outcome, dat, stop=stop)
        k += 1
        if stop and any(failed(j) for j in batch["jobs"]):  # a failure, a crash or a hang decides it
            break
    # Stopping at a failure, the jobs after the first failing one are not owed an outcome.
    first = next((i for i, j in enumerate(batch["jobs"]) if failed(j)), None) if stop else None
    owed = batch["jobs"] if first is None else batch["jobs"][:first + 1]
    return 0 if all((Path(j["out_dir"]) / "outcome.json").exists() for j in owed) else 1


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m tools.regress.batch BATCH.json", file=sys.stderr)
        return 2
    try:
        return run(argv[0])
    except Refusal as exc:
        print(f"batch: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
