"""The Slurm launcher: the regression's tasks as Slurm job arrays (docs/slurm.md).

`SlurmLauncher(workdir).run_stages(builds, runs)` writes each group of tasks
as a manifest (JSON lines) into `workdir` (build/regress/<name>/slurm/) and
submits it as one job array of this module's task wrapper: the builds first,
then for each build the runs that need it, with `--dependency=afterok:` on
that build's array element (and `--kill-on-invalid-dep=yes`). Array task i
runs line i of its manifest in the submitting directory, with its output in
the task's `job.log` exactly as the local launcher writes it, then records
its exit code and run time in `workdir/rc/`. Each task's time limit is its
timeout in whole minutes, rounded up (`--time`).

The launcher polls `squeue` until every task has ended. A task that ended by
itself (COMPLETED or FAILED with an exit record) gives its exit code; any
other end (TIMEOUT, CANCELLED, NODE_FAIL, PREEMPTED, OUT_OF_MEMORY, ...) or a
task that vanished comes back with a `reason` taken from `sacct` (or, on a
cluster without accounting, `sacct --completion`, then squeue), which the
results record as a failure, never a pass. When a build fails, the runs after
it are cancelled and come back skipped. Ctrl-C (or any error) cancels every
array still running (`scancel`) and re-raises.

Assumes the repository, the venv and build/ are on a filesystem shared by the
submit host and the compute nodes, at the same path.
`python -m tools.regress.launcher_slurm MANIFEST` is the task wrapper (it reads
SLURM_ARRAY_TASK_ID).
"""

import json
import math
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from tools.regress.launcher import Launcher, LaunchError, Outcome, failed

# States in which a job has ended for good; any other state (PENDING, RUNNING,
# COMPLETING, REQUEUED, SUSPENDED, ...) is still on its way.
TERMINAL = {"COMPLETED", "FAILED", "TIMEOUT", "CANCELLED", "NODE_FAIL", "PREEMPTED",
            "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE", "REVOKED", "SPECIAL_EXIT"}
# The states of a task that ended by itself (the wrapper's exit code tells pass or fail).
BY_ITSELF = {"COMPLETED", "FAILED"}
REPO = Path(__file__).resolve().parents[2]


def time_limit_minutes(timeout_s):
    """Slurm's --time for a task timeout: whole minutes, rounded up, at least 1."""
    return max(1, math.ceil(float(timeout_s) / 60.0))


def parse_elapsed(text):
    """Seconds in a Slurm duration ([D-]HH:MM:SS, MM:SS, or a number of seconds); None when unreadable."""
    text = (text or "").strip()
    if re.fullmatch(r"\d+", text):
        return float(text)
    m = re.fullmatch(r"(?:(\d+)-)?(?:(\d+):)?(\d+):(\d+)", text)
    if not m:
        return None
    d, h, mi, s = (int(g) if g else 0 for g in m.groups())
    return float(((d * 24 + h) * 60 + mi) * 60 + s)


def classify(key, state, record, *, sacct_state="", squeue_reason="", seconds=None, time_limit=None, out=None):
    """The Outcome of a task that has ended (or vanished from the queue).

    state: its last state in squeue (None when never seen ending); record: the
    wrapper's exit record ({"rc", "seconds"}) or None; sacct_state: sacct's
    State ("CANCELLED by 0", "TIMEOUT", ...; "" when unknown); squeue_reason:
    squeue's reason (TimeLimit, ...); seconds: elapsed per Slurm.
    """
    sacct_base = sacct_state.split()[0] if sacct_state else ""
    final = sacct_base if sacct_base in TERMINAL else (state if state in TERMINAL else None)
    secs = float(record["seconds"]) if record else float(seconds or 0.0)
    if final is None or final in BY_ITSELF:
        if record is not None:
            return Outcome(key, int(record["rc"]), False, secs)
        if final is None:
            return Outcome(key, -1, False, secs,
                           reason="lost by Slurm: no longer in the queue, no accounting record and no exit "
                                  "status (cancelled before it started?)")
        where = f" (see {out})" if out else ""
        return Outcome(key, -1, False, secs,
                       reason=f"ended by Slurm as {sacct_state or final} without an exit status from the task "
                              f"wrapper{where}")
    notes = [squeue_reason] if squeue_reason not in (None, "", "None") and squeue_reason not in sacct_state else []
    if final == "TIMEOUT" and time_limit:
        notes.append(f"--time={time_limit}")
    what = (sacct_state or final) + (f" ({', '.join(notes)})" if notes else "")
    return Outcome(key, -1, final == "TIMEOUT", secs, reason=f"killed by Slurm: {what}")


def parse_sacct(text, raw=None):
    """{slurm id: (State, elapsed seconds)} from `sacct -n -P -o JobID,State,ElapsedRaw`;
    `raw` maps raw job ids to array ids (sacct --completion lists raw ids)."""
    found = {}
    for line in text.splitlines():
        parts = line.strip().split("|")
        if len(parts) < 3:
            continue
        jid = raw.get(parts[0]) if raw is not None else parts[0]
        if jid:
            found[jid] = (parts[1].strip(), parse_elapsed(parts[2]))
    return found


@dataclass
class _Tracked:
    task: object
    array: str
    index: int
    rc_file: Path
    out_file: Path
    minutes: int
    stage: int  # 1: builds, 2: runs
    state: str = "PENDING"
    reason: str = ""
    raw: str = ""
    raw_running: str = ""  # its own job id, seen while it ran
    elapsed: float = None
    seen: bool = False
    ended_at: float = None  # first poll that saw it end without an exit record yet
    absent_since: float = None  # first poll that did not list it (before it was ever listed)

    @property
    def slurm_id(self):
        return f"{self.array}_{self.index}"


def _run(argv, check=True):
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        if check:
            raise LaunchError(f"{argv[0]} failed: {exc}") from None
        return None
    if check and p.returncode != 0:
        raise LaunchError(f"{' '.join(argv[:3])} ... failed: {(p.stderr or p.stdout).strip()[:500]}")
    return p


class SlurmLauncher(Launcher):
    def __init__(self, workdir, name="regress", partition=None, account=None, extra=(), poll=5.0,
                 python=None, grace=60.0, log=print):
        for tool in ("sbatch", "squeue", "scancel"):
            if shutil.which(tool) is None:
                raise LaunchError(f"'{tool}' is not on PATH: run on a Slurm submit host "
                                  "(or start the test cluster: tools/slurm/cluster.sh start)")
        self.workdir = Path(workdir).resolve()
        self.jobname = f"vsq-{name}-{uuid.uuid4().hex[:8]}"
        self.partition, self.account, self.extra = partition, account, list(extra)
        self.poll, self.grace, self.log = float(poll), float(grace), log
        self.python = python or sys.executable
        self._sacct_mode = None  # "acct", "completion" or "none", found on first use
        self._unfinished = set()  # array ids with tasks not yet ended

    # -- submission ---------------------------------------------------------

    def _max_array(self):
        p = _run(["scontrol", "show", "config"], check=False)
        m = re.search(r"^MaxArraySize\s*=\s*(\d+)", p.stdout if p else "", re.MULTILINE)
        return max(1, int(m.group(1))) if m else 1000

    def _submit(self, stem, tasks, minutes, stage, dependency=None):
        manifest = self.workdir / f"{stem}.jsonl"
        rc_dir = self.workdir / "rc"
        lines = []
        for i, t in enumerate(tasks):
            lines.append(json.dumps({"key": t.key, "argv": list(t.argv), "directory": str(t.directory),
                                     "cwd": os.getcwd(), "rc": str(rc_dir / f"{stem}.{i}.json")}))
        manifest.write_text("\n".join(lines) + "\n")
        argv = ["sbatch", "--parsable", f"--job-name={self.jobname}", f"--array=0-{len(tasks) - 1}",
                f"--time={minutes}", "--ntasks=1", "--cpus-per-task=1", f"--chdir={REPO}",
                f"--output={self.workdir / 'out' / f'{stem}.%a.out'}"]
        if self.partition:
            argv.append(f"--partition={self.partition}")
        if self.account:
            argv.append(f"--account={self.account}")
        if dependency:
            argv += [f"--dependency=afterok:{dependency}", "--kill-on-invalid-dep=yes"]
        argv += self.extra + [str(self.workdir / "task.sh"), str(manifest)]
        array = _run(argv).stdout.strip().split(";")[0]
        if not array.isdigit():
            raise LaunchError(f"sbatch gave no job id: {array!r}")
        self._unfinished.add(array)
        return array, [_Tracked(t, array, i, rc_dir / f"{stem}.{i}.json", self.workdir / "out" / f"{stem}.{i}.out",
                                minutes, stage) for i, t in enumerate(tasks)]

    def _prepare(self):
        shutil.rmtree(self.workdir, ignore_errors=True)
        for d in (self.workdir, self.workdir / "rc", self.workdir / "out"):
            d.mkdir(parents=True, exist_ok=True)
        wrapper = self.workdir / "task.sh"
        wrapper.write_text("#!/bin/sh\n# One task of a regression manifest (tools/regress/launcher_slurm.py).\n"
                           f"cd '{REPO}' && exec '{self.python}' -m tools.regress.launcher_slurm \"$@\"\n")
        wrapper.chmod(0o755)

    # -- the seam -------------------------------------------------------------

    def run(self, tasks):
        yield from self.run_stages(list(tasks), [])

    def run_stages(self, first, then):
        first, then = list(first), list(then)
        self._prepare()
        tracked = {}  # slurm id -> _Tracked
        try:
            chunk = self._max_array()
            by_key = {}
            n = 0
            # 1. The first stage, one array per time limit.
            groups = {}
            for t in first:
                groups.setdefault(time_limit_minutes(t.timeout), []).append(t)
            for minutes, ts in groups.items():
                for k in range(0, len(ts), chunk):
                    array, items = self._submit(f"build{n}", ts[k:k + chunk], minutes, 1)
                    n += 1
                    for it in items:
                        tracked[it.slurm_id] = it
                        by_key[it.task.key] = it
                    self.log(f"  slurm: {'builds' if then else 'tasks'}: job array {array} "
                             f"({len(items)} tasks, --time={minutes})")
            # 2. The second stage: one array per (task it comes after, time limit).
            groups = {}
            for t in then:
                dep = by_key[t.after].slurm_id if t.after in by_key else None
                groups.setdefault((dep, time_limit_minutes(t.timeout)), []).append(t)
            arrays = []
            for (dep, minutes), ts in groups.items():
                for k in range(0, len(ts), chunk):
                    array, items = self._submit(f"run{n}", ts[k:k + chunk], minutes, 2, dependency=dep)
                    n += 1
                    arrays.append(array)
                    for it in items:
                        tracked[it.slurm_id] = it
            if arrays:
                self.log(f"  slurm: runs: job arrays {', '.join(arrays)} ({len(then)} tasks, after their builds)")
            (self.workdir / "submitted.json").write_text(json.dumps(
                {"job_name": self.jobname, "arrays": sorted(self._unfinished, key=int),
                 "tasks": {s: it.task.key for s, it in tracked.items()}}, indent=1))
            yield from self._wait(tracked, first_keys={t.key for t in first})
        except BaseException:
            self.cancel()
            raise

    def cancel(self):
        """scancel every array that still has tasks running or pending."""
        if self._unfinished:
            ids = sorted(self._unfinished, key=int)
            _run(["scancel", *ids], check=False)
            self.log(f"  slurm: cancelled job arrays {' '.join(ids)} (scancel)")
            self._unfinished.clear()

    # -- waiting --------------------------------------------------------------

    def _squeue(self):
        """{slurm id: (raw id, state, reason, elapsed)}, or None when squeue failed."""
        p = _run(["squeue", "-h", "-r", "-t", "all", "-n", self.jobname, "-o", "%i|%A|%T|%r|%M"], check=False)
        if p is None or p.returncode != 0:
            return None
        rows = {}
        for line in p.stdout.splitlines():
            parts = line.strip().split("|")
            if len(parts) == 5 and "_" in parts[0]:
                rows[parts[0]] = (parts[1], parts[2].split()[0], parts[3], parse_elapsed(parts[4]))
        return rows

    def _sacct(self, items):
        """{slurm id: (State, elapsed seconds)} from the accounting, for the items it knows."""
        if not items or self._sacct_mode == "none" or shutil.which("sacct") is None:
            return {}
        if self._sacct_mode in (None, "acct"):
            p = _run(["sacct", "-n", "-P", "-X", "-j", ",".join(it.slurm_id for it in items),
                      "-o", "JobID,State,ElapsedRaw"], check=False)
            if p is not None and p.returncode == 0:
                self._sacct_mode = "acct"
                return parse_sacct(p.stdout)
            if p is None or "disabled" not in (p.stderr + p.stdout):
                return {}  # a passing failure (slurmdbd busy): squeue's state will do this time
            self._sacct_mode = "completion"  # no accounting: the job completion log (jobcomp/filetxt)
        # The completion log knows array tasks by their own job ids only, which
        # squeue shows once a task runs (a pending task shows the array's id).
        raw = {it.raw_running: it.slurm_id for it in items if it.raw_running}
        if not raw:
            return {}
        p = _run(["sacct", "--completion", "-n", "-P", "-j", ",".join(raw), "-o", "JobID,State,ElapsedRaw"],
                 check=False)
        if p is None or p.returncode != 0:
            self._sacct_mode = "none"
            return {}
        return parse_sacct(p.stdout, raw)

    @staticmethod
    def _record(it):
        try:
            return json.loads(it.rc_file.read_text())
        except (OSError, ValueError):
            return None

    def _note_in_log(self, it, reason):
        try:
            Path(it.task.directory).mkdir(parents=True, exist_ok=True)
            with open(Path(it.task.directory) / "job.log", "a") as log:
                log.write(f"\nregress: {reason} (Slurm job {it.slurm_id})\n")
        except OSError:
            pass

    def _wait(self, tracked, first_keys):
        last_status, last_print, failures = None, 0.0, 0
        while tracked:
            rows = self._squeue()
            now = time.monotonic()
            if rows is None:
                failures += 1
                if failures % 12 == 1:
                    self.log("  slurm: squeue failed; still waiting (Ctrl-C cancels the jobs)")
                time.sleep(self.poll)
                continue
            failures = 0
            ended = []
            for sid, it in tracked.items():
                row = rows.get(sid)
                if row is not None:
                    it.raw, it.state, it.reason, it.elapsed = row
                    it.seen = True
                    if it.state in ("RUNNING", "COMPLETING", "SUSPENDED", "STOPPED"):
                        it.raw_running = it.raw
                    if it.state in TERMINAL:
                        ended.append(it)
                else:
                    it.absent_since = it.absent_since or now
                    if not it.seen and now - it.absent_since < 3 * self.poll + 10:
                        continue  # just submitted: give squeue a moment
                    it.state = None  # gone from the queue: ended long ago, or cancelled while pending
                    ended.append(it)
            # Ended by itself but no exit record visible yet: a shared filesystem may show it late.
            ready = []
            for it in ended:
                if it.state in BY_ITSELF and self._record(it) is None:
                    it.ended_at = it.ended_at or now
                    if now - it.ended_at < self.grace:
                        continue
                ready.append(it)
            need_sacct = [it for it in ready if not (it.state in BY_ITSELF and self._record(it) is not None)]
            acct = self._sacct(need_sacct)
            for it in ready:
                if it.slurm_id not in tracked:
                    # Ended in the same poll as its failed build, which already
                    # reported it as skipped (_skip_dependents).
                    continue
                st, el = acct.get(it.slurm_id, ("", None))
                o = classify(it.task.key, it.state, self._record(it), sacct_state=st, squeue_reason=it.reason,
                             seconds=el if el is not None else it.elapsed, time_limit=it.minutes, out=it.out_file)
                if o.reason:
                    self._note_in_log(it, o.reason)
                del tracked[it.slurm_id]
                if not any(t.array == it.array for t in tracked.values()):
                    self._unfinished.discard(it.array)
                yield o
                if it.task.key in first_keys and failed(o):
                    yield from self._skip_dependents(tracked, it)
            status = self._status(tracked)
            if tracked and status != last_status and now - last_print >= 30:
                self.log(f"  slurm: {status}")
                last_status, last_print = status, now
            if tracked:
                time.sleep(self.poll)

    def _skip_dependents(self, tracked, build):
        """A first-stage task failed: cancel the arrays after it, their tasks come back skipped."""
        deps = [it for it in tracked.values() if it.task.after == build.task.key and it.stage == 2]
        arrays = sorted({it.array for it in deps}, key=int)
        if arrays:
            _run(["scancel", *arrays], check=False)
        for it in deps:
            del tracked[it.slurm_id]
            yield Outcome(it.task.key, 1, False, 0.0, skipped=True)
        for a in arrays:
            if not any(t.array == a for t in tracked.values()):
                self._unfinished.discard(a)

    @staticmethod
    def _status(tracked):
        counts = {}
        for it in tracked.values():
            label = it.state or "?"
            if it.state == "PENDING" and it.reason not in ("", "None"):
                label = f"PENDING ({it.reason})"
            counts[label] = counts.get(label, 0) + 1
        return ", ".join(f"{n} {s.lower()}" for s, n in sorted(counts.items()))


# -- the task wrapper (runs on the compute node) ----------------------------------


def task_main(argv):
    """Run line SLURM_ARRAY_TASK_ID of the manifest argv[0] as the local launcher would."""
    if len(argv) != 1 or "SLURM_ARRAY_TASK_ID" not in os.environ:
        print("usage: python -m tools.regress.launcher_slurm MANIFEST (in a Slurm array task)", file=sys.stderr)
        return 2
    idx = int(os.environ["SLURM_ARRAY_TASK_ID"])
    entry = json.loads(Path(argv[0]).read_text().splitlines()[idx])
    directory = Path(entry["directory"])
    directory.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    with open(directory / "job.log", "w") as log:
        log.write("$ " + " ".join(entry["argv"]) + "\n")
        log.flush()
        try:
            rc = subprocess.call(entry["argv"], stdout=log, stderr=subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL, cwd=entry.get("cwd") or None)
        except OSError as exc:
            log.write(f"regress: cannot run the command: {exc}\n")
            rc = 127
    record = {"rc": rc, "seconds": round(time.monotonic() - start, 3),
              "job": f"{os.environ.get('SLURM_ARRAY_JOB_ID')}_{idx}", "node": os.environ.get("SLURMD_NODENAME")}
    tmp = Path(entry["rc"] + ".tmp")
    tmp.write_text(json.dumps(record))
    os.replace(tmp, entry["rc"])  # written last: its presence means the task's files are complete
    return 0 if rc == 0 else (rc if 0 < rc < 256 else 1)


if __name__ == "__main__":
    sys.exit(task_main(sys.argv[1:]))
