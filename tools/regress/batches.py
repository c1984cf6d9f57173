"""Jobs grouped into batches, and each job's result read back.

A batch is up to `size` jobs of one build (bench, simulator, parameter set,
coverage), in the regression's order: one launcher task running
`python -m tools.regress.batch` (tools/regress/batch.py), which runs them in
one simulator process and writes each job's outcome.json. The job's result
is then read from its own directory as for a job run alone; a job without an
outcome (the whole batch task was killed, lost or interrupted before it ran)
gets the batch task's outcome and reason.
"""

import json
import sys
from pathlib import Path

from tools.regress import results
from tools.regress.launcher import Outcome, Task

# Jobs per simulator process (make regress BATCH=n): measured in docs/verification.md.
DEFAULT_SIZE = 32
# A batch also ends at this many seconds of its jobs' times in the last run (when known), so that
# long jobs spread over both cores and no single batch is left running alone at the end.
BATCH_SECONDS = 120
SLACK = 120  # seconds of a batch task beyond its jobs' timeouts: the build check and process starts


def history(out):
    """{(test, sim, params): mean seconds} of the jobs of the last run in `out`, if any."""
    times = {}
    for f in (Path(out) / "jobs").glob("*/result.json"):
        try:
            r = json.loads(f.read_text())
            times.setdefault((r["test"], r["sim"], r["params"]), []).append(float(r["seconds"]))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return {k: sum(v) / len(v) for k, v in times.items()}


def chunks(js, size, est):
    """Consecutive jobs, at most `size` and (when their times are known) about BATCH_SECONDS each."""
    out, cur, cur_s = [], [], 0.0
    for j in js:
        if cur and (len(cur) >= max(1, size) or cur_s >= BATCH_SECONDS):
            out.append(cur)
            cur, cur_s = [], 0.0
        cur.append(j)
        cur_s += est(j)
    return out + ([cur] if cur else [])


def plan(jobs, size, out, job_dir, build_key, last=None):
    """[(Task, [jobs])]: consecutive jobs of one build, `size` at a time; with
    the last run's job times (`last`, from history()), the longest batches first."""
    last = last or {}
    est = lambda j: last.get((j.test, j.sim, j.params), 0.0)  # noqa: E731
    groups = {}
    for j in jobs:
        groups.setdefault(build_key(j), []).append(j)
    planned = []
    for key, js in groups.items():
        for k, chunk in enumerate(chunks(js, size, est)):
            d = out / "batches" / f"{key}.{k}"
            d.mkdir(parents=True, exist_ok=True)
            for j in chunk:  # an outcome left by an earlier run must not pass for this run's
                (job_dir(out, j) / "outcome.json").unlink(missing_ok=True)
            bench, sim, pset, cov = chunk[0].build_key
            spec = {"bench": bench, "sim": sim, "params": pset, "coverage": cov,
                    "jobs": [{"name": j.name, "test": j.test, "seed": j.seed, "timeout": j.timeout,
                              "out_dir": str(job_dir(out, j)), "repro": j.repro()} for j in chunk]}
            (d / "batch.json").write_text(json.dumps(spec, indent=1) + "\n")
            argv = [sys.executable, "-m", "tools.regress.batch", str(d / "batch.json")]
            planned.append((Task(f"batch.{key}.{k}", argv, str(d),
                                 sum(j.timeout for j in chunk) + SLACK, after=key), chunk))
    return sorted(planned, key=lambda tc: -sum(est(j) for j in tc[1]))  # stable: list order without history


def written_outcome(directory, key):
    """The Outcome a batch wrote for one job, or None."""
    try:
        o = json.loads((Path(directory) / "outcome.json").read_text())
    except (OSError, ValueError):
        return None
    return Outcome(key, o["returncode"], o["timed_out"], o["seconds"]), o


def _written_result(job, directory):
    """A job's result from the outcome its batch wrote for it, or None."""
    found = written_outcome(directory, job.name)
    if found is None:
        return None
    o, raw = found
    return results.collect(job, directory, o, coverage_dat=raw.get("coverage_dat", ""))


def collect(chunk, outcome, out, job_dir):
    """Each job's result after its batch task ended with `outcome`."""
    got = []
    for j in chunk:
        d = job_dir(out, j)
        r = _written_result(j, d)
        if r is None:
            why = outcome.reason or ("killed: its batch ran out of time" if outcome.timed_out else
                                     f"lost: its batch ended before running it (exit {outcome.returncode})")
            Path(d).mkdir(parents=True, exist_ok=True)
            r = results.collect(j, d, Outcome(j.name, outcome.returncode or 1, False, 0.0, reason=why))
        got.append(r)
    return got


def collect_written(chunk, out, job_dir):
    """The results a batch already wrote (an interrupted run keeps them)."""
    return [r for r in (_written_result(j, job_dir(out, j)) for j in chunk) if r is not None]


def code_coverage_files(all_results):
    """The coverage.dat files to merge: a batch segment's file when every job
    that ran in it passed (a failing seed's hits must not count, and one
    process's counts cannot be split per seed); a job run alone, its own."""
    users = {}
    for r in all_results:
        dat = r.coverage_dat or str(Path(r.directory) / "coverage.dat")
        users.setdefault(dat, []).append(r.status == "pass")
    return [Path(dat) for dat, ok in users.items() if all(ok)]
