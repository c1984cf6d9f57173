"""python -m tools.mutate.job DIR: run one mutant (or the original RTL) through
its plan and write DIR/result.json.

DIR/mutant.json holds the mutant (tools/mutate/mutants.py), the simulator and
the plan (tools/mutate/plan.py). The job writes a copy of rtl/ with the one
file mutated into DIR/rtl, builds each bench once into DIR/build (tb.sim with
VSQ_RTL_DIR/VSQ_SIM_BUILD), and runs the plan's jobs in order, each with its
own wall-clock timeout, until the first failure. The consecutive jobs of one
tier and bench run as one batch (tools/regress/batch.py: one simulator
process for all of them, killed at the first failing job):
  killed     a test failed (which test and tier, and its first message)
  timeout    a test hung: killed at its wall-clock timeout, or cocotb's
             SimTimeoutError (the test's own with_timeout expired)
  survived   every job passed
  no_build   the mutant does not compile (the reason from the build's log)
A mutant that survives smoke is checked for equivalence (tools/mutate/equiv.py)
before the nightly tier, which it skips when it is equivalent; with "equiv"
in the spec, a survivor of the last tier is checked too (here, so that the
checks run in parallel, not one by one at the campaign's end).
With "keep_going" (the original) every job runs and each is recorded with its
time, which sets the mutants' timeouts. The build tree is deleted at the end,
and the run directories of passing jobs with it: only the killing job's logs
are kept.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tb.common.testbench import REPO
from tb.sim import sim_env
from tools.mutate import equiv, mutants as M
from tools.mutate.plan import ELAB
from tools.regress import messages
from tools.regress.batches import SLACK
from tools.regress.results import junit_counts, status_of

GUARD_TEST = "tests/sim/test_param_guards.py"


def _descendants(pid):
    """Every live descendant of pid (from /proc), deepest last."""
    children = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def _run(argv, env, timeout, log):
    """Runs one command. It stays in this job's process group, so the launcher
    stopping the job stops it too; its own timeout kills it and its children."""
    start = time.monotonic()
    with open(log, "w") as f:
        proc = subprocess.Popen(argv, stdout=f, stderr=subprocess.STDOUT, env=env, cwd=REPO,
                                stdin=subprocess.DEVNULL)
        try:
            rc, hung = proc.wait(timeout=timeout), False
        except subprocess.TimeoutExpired:
            for pid in [proc.pid] + _descendants(proc.pid):
                try:
                    os.kill(pid, 9)
                except ProcessLookupError:
                    pass
            proc.wait()
            rc, hung = -9, True
    return rc, hung, time.monotonic() - start


def prepare_rtl(d, mutant):
    """DIR/rtl: the current rtl/ with the mutant applied (None: the original)."""
    rtl = d / "rtl"
    if rtl.exists():
        shutil.rmtree(rtl)
    shutil.copytree(REPO / "rtl", rtl)
    if mutant is not None:
        f = rtl / mutant.file
        f.write_text(M.apply(f.read_text(), mutant))
    return rtl


def _groups(plan):
    """Consecutive plan jobs of one tier and bench: each group runs as one batch."""
    out = []
    for job in plan:
        if out and (out[-1][0]["tier"], out[-1][0]["bench"]) == (job["tier"], job["bench"]):
            out[-1].append(job)
        else:
            out.append([job])
    return out


def _batch(d, group, sim, env, stop, k):
    """Runs one group as a batch (tools/regress/batch.py), stopping at its first
    failure unless `stop` is False. Returns (its exit code, hung, its log)."""
    bdir = d / "batches" / f"{k}-{group[0]['tier']}-{group[0]['bench']}"
    bdir.mkdir(parents=True, exist_ok=True)
    jobs = []
    for job in group:
        out = d / "runs" / f"{job['test']}.s{job['seed']}"
        shutil.rmtree(out, ignore_errors=True)
        jobs.append({"name": out.name, "test": job["test"], "seed": job["seed"], "timeout": job["timeout"],
                     "out_dir": str(out), "repro": _repro(job, sim)})
    spec = {"bench": group[0]["bench"], "sim": sim, "params": "fast", "coverage": False,
            "stop_at_failure": stop, "jobs": jobs}
    (bdir / "batch.json").write_text(json.dumps(spec, indent=1))
    argv = [sys.executable, "-m", "tools.regress.batch", str(bdir / "batch.json")]
    rc, hung, _ = _run(argv, env, sum(j["timeout"] for j in group) + SLACK, bdir / "batch.log")
    return rc, hung, bdir / "batch.log"


def _repro(job, sim):
    return f"make sim TEST={job['test']} SIM={sim} SEED={job['seed']} PARAMS=fast"


def _outcome(out):
    try:
        return json.loads((out / "outcome.json").read_text())
    except (OSError, ValueError):
        return None


def run(d):
    d = Path(d)
    spec = json.loads((d / "mutant.json").read_text())
    mutant = M.Mutant(**spec["mutant"]) if spec.get("mutant") else None
    keep_going, sim = spec.get("keep_going", False), spec["sim"]
    py = sys.executable
    start = time.monotonic()
    result = {"id": spec["id"], "status": "survived", "depth": spec.get("depth"), "tests_run": [], "builds": {}}
    try:
        rtl = prepare_rtl(d, mutant)
    except ValueError as exc:  # the file changed since the campaign was planned
        result.update(status="no_build", message=str(exc))
        return _finish(d, result, start)
    env = sim_env()
    env.update(VSQ_RTL_DIR=str(rtl), VSQ_SIM_BUILD=str(d / "build"))
    (d / "runs").mkdir(exist_ok=True)
    groups = _groups(spec["plan"])
    if mutant is not None and M.is_guard(mutant) and _guard_killed(d, env, result):
        groups = []  # a guard's mutant shows at elaboration, not in a simulation of the legal configuration
    for k, group in enumerate(groups):
        if group[0]["tier"] == "nightly" and mutant is not None and "proof" not in result:
            # Survived smoke: an equivalent mutant need not run nightly's many seeds.
            result["proof"] = equiv.proof(mutant)
            if result["proof"]["equivalent"]:
                break
        bench = group[0]["bench"]
        if bench not in result["builds"]:
            log = d / f"build-{bench}.log"
            rc, hung, secs = _run([py, "-m", "tb.sim", "--build-only", bench, "--sim", sim, "--params", "fast"],
                                  env, 900, log)
            result["builds"][bench] = round(secs, 2)
            if rc != 0:
                reason = messages.from_logs(log) or messages.exit_text(rc)
                result.update(status="no_build", message=f"build of {bench} failed: {reason}", bench=bench)
                break
        brc, bhung, blog = _batch(d, group, sim, env, not keep_going, k)
        if _record(d, group, sim, keep_going, result, brc, bhung, blog):
            break
    if spec.get("equiv") and mutant is not None and result["status"] == "survived" and "proof" not in result:
        # The last tier survived: the equivalence check here, in parallel with the other mutants.
        result["proof"] = equiv.proof(mutant)
    return _finish(d, result, start)


def _guard_killed(d, env, result):
    """Tier `elab`: the guards' boundary test (tests/sim/test_param_guards.py)
    on the mutant's RTL. True (and the result marked killed) when it fails."""
    log = d / "elab.log"
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "-p", "no:cacheprovider", "-x", GUARD_TEST]
    rc, hung, secs = _run(argv, env, 300, log)
    result["tests_run"].append({"name": "test_param_guards", "tier": ELAB, "passed": rc == 0,
                                "seconds": round(secs, 2)})
    if rc == 0:
        return False
    failed = re.findall(r"^FAILED \S+::(\S+)", log.read_text(errors="replace"), re.MULTILINE)
    result.update(status="timeout" if hung else "killed", test="test_param_guards", seed=0, tier=ELAB,
                  message=f"guard boundary {failed[0] if failed else '?'} failed", log=str(log),
                  repro=f".venv/bin/python -m pytest {GUARD_TEST}")
    return True


def _record(d, group, sim, keep_going, result, brc, bhung, blog):
    """Each job's result of a batch in order, until the first failure (the
    mutant's class) or the first job without an outcome. True when the mutant is decided."""
    for i, job in enumerate(group):
        out = d / "runs" / f"{job['test']}.s{job['seed']}"
        o = _outcome(out)
        if o is None:  # the batch task itself hung or broke before this job ended
            hung = bhung
            message = ("killed after its batch's wall-clock timeout" if hung else
                       messages.from_logs(blog) or f"its batch ended before it ({messages.exit_text(brc)})")
            passed, secs = False, 0.0
        else:
            hung, secs = o["timed_out"], o["seconds"]
            passed = status_of(junit_counts(out / "results.xml"), o["returncode"], hung) == "pass"
            message = "" if passed else (f"killed after the {job['timeout']} s wall-clock timeout" if hung
                                         else messages.failure_message(out, o["returncode"]))
        name = out.name
        result["tests_run"].append({"name": name, "tier": job["tier"], "passed": passed, "seconds": round(secs, 2)})
        if passed:
            shutil.rmtree(out, ignore_errors=True)
            continue
        if keep_going:
            result["tests_run"][-1]["message"] = message
            result["status"] = "baseline_failed"
            continue
        status = "timeout" if hung or message.startswith("SimTimeoutError") else "killed"
        result.update(status=status, test=job["test"], seed=job["seed"], tier=job["tier"], message=message,
                      repro=_repro(job, sim), log=str(out / "sim.log"))
        for later in group[i + 1:]:  # never ran: only the killing job's directory is kept
            shutil.rmtree(d / "runs" / f"{later['test']}.s{later['seed']}", ignore_errors=True)
        return True
    return False


def _finish(d, result, start):
    shutil.rmtree(d / "build", ignore_errors=True)
    shutil.rmtree(d / "batches", ignore_errors=True)  # each job's log is in its own run directory
    shutil.rmtree(d / "rtl", ignore_errors=True)  # tools/mutate/equiv.py rebuilds it from the mutant
    result["seconds"] = round(time.monotonic() - start, 2)
    tmp = d / "result.json.tmp"
    tmp.write_text(json.dumps(result, indent=1))
    tmp.replace(d / "result.json")  # whole or absent: an interrupted job is simply rerun
    return result


if __name__ == "__main__":
    r = run(sys.argv[1])
    print(f"{r['id']}: {r['status']} ({r['seconds']:.0f} s) {r.get('message', '')}")
    sys.exit(0)
