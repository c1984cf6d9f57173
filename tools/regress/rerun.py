"""Rerun failing jobs once with waves: up to `limit` failures (the first
ones, in job order; `make regress RERUN=N`, default 2, 0 turns it off) are
run again with the same test, simulator, parameters and seed and --waves,
into <job dir>/rerun/. The rerun's FST is linked from the report and the
junit.xml next to the repro line; the job's own result stays the first
run's (a rerun that passes is reported, not counted as a pass)."""

import json
import sys
from pathlib import Path

from tools.regress.launcher import Task, failed

DEFAULT_LIMIT = 2


def rerun_dir(result):
    return Path(result.directory) / "rerun"


def waves_of(result):
    """The FST of the job's waves rerun, or None."""
    fst = rerun_dir(result) / "dump.fst"
    return fst if fst.exists() else None


def tasks(results, limit, timeout_of):
    """Launcher tasks for the first `limit` failed results."""
    out = []
    for r in [r for r in results if r.status != "pass"][:max(0, limit)]:
        d = rerun_dir(r)
        argv = [sys.executable, "-m", "tb.sim", "--test", r.test, "--sim", r.sim, "--seed", str(r.seed),
                "--params", r.params, "--waves", "--out", str(d)]
        out.append(Task(f"rerun.{r.name}", argv, str(d), timeout_of(r)))
    return out


def run(launcher, results, limit, timeout_of):
    """Run the reruns through `launcher`; returns {job name: rerun status line}."""
    todo = tasks(results, limit, timeout_of)
    if not todo:
        return {}
    print(f"regress: rerunning {len(todo)} failing job(s) once with waves", flush=True)
    by_key = {t.key: r for t, r in zip(todo, [r for r in results if r.status != "pass"])}
    status = {}
    for o in launcher.run(todo):
        r = by_key[o.key]
        fst = waves_of(r)
        status[r.name] = ("failed again" if failed(o) else "passed on rerun") + (
            f"; waves {fst}" if fst else "; no waves written")
        print(f"  rerun {r.name}: {status[r.name]}", flush=True)
        (rerun_dir(r) / "rerun.json").write_text(json.dumps({"status": status[r.name]}))
    return status
