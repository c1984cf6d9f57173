"""Launchers run self-contained job commands, each in its own directory.

The seam: a launcher gets (key, argv, directory, timeout) tasks and reports
(key, exit code, timed_out, seconds) as each ends. `LocalLauncher` is a process
pool on this machine; `launcher_slurm.SlurmLauncher` submits the same tasks to
Slurm.

`run_stages(first, then)` runs two stages, builds then runs: a task of `then`
whose `after` names a task of `first` starts only once that task has passed,
and comes back `skipped` when it failed. The local launcher runs the stages one
after the other; a batch launcher submits both at once, with dependencies.
An Outcome's `reason` is set when the task did not end by itself (killed by the
scheduler, lost): such a task never counts as passed.
"""

import os
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass


@dataclass
class Task:
    key: str
    argv: list
    directory: str
    timeout: int
    after: str = None  # key of a first-stage task that must pass before this one


@dataclass
class Outcome:
    key: str
    returncode: int
    timed_out: bool
    seconds: float
    reason: str = ""  # why the launcher or scheduler ended it; "" when it ended by itself
    skipped: bool = False  # never started: the task it comes after failed


class LaunchError(Exception):
    """The launcher cannot run the tasks at all (e.g. sbatch refused them): one line."""


def failed(outcome):
    return outcome.returncode != 0 or outcome.timed_out or bool(outcome.reason)


class Launcher:
    def run(self, tasks):
        raise NotImplementedError

    def run_stages(self, first, then):
        """Yields an Outcome per task of both stages as it ends; tasks of `then`
        whose `after` failed come back skipped, before the others run."""
        bad = set()
        for o in self.run(first):
            if failed(o):
                bad.add(o.key)
            yield o
        ready = []
        for t in then:
            if t.after in bad:
                yield Outcome(t.key, 1, False, 0.0, skipped=True)
            else:
                ready.append(t)
        yield from self.run(ready)


class LocalLauncher(Launcher):
    def __init__(self, jobs):
        self.jobs = max(1, int(jobs))
        self._procs = set()

    def _run(self, task):
        os.makedirs(task.directory, exist_ok=True)
        start = time.monotonic()
        with open(os.path.join(task.directory, "job.log"), "w") as log:
            log.write("$ " + " ".join(task.argv) + "\n")
            log.flush()
            # Own process group, so a timeout kills the simulator too.
            proc = subprocess.Popen(task.argv, stdout=log, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
            self._procs.add(proc)
            try:
                rc = proc.wait(timeout=task.timeout)
                timed_out = False
            except subprocess.TimeoutExpired:
                self._kill(proc)
                rc, timed_out = -9, True
                log.write(f"\nregress: killed after the {task.timeout} s timeout\n")
            finally:
                self._procs.discard(proc)
        return Outcome(task.key, rc, timed_out, time.monotonic() - start)

    @staticmethod
    def _kill(proc):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()

    def run(self, tasks):
        """Yields an Outcome per task as it ends."""
        with ThreadPoolExecutor(self.jobs) as pool:
            futures = [pool.submit(self._run, t) for t in tasks]
            try:
                for fut in as_completed(futures):
                    yield fut.result()
            except BaseException:
                for f in futures:
                    f.cancel()
                for proc in list(self._procs):
                    self._kill(proc)
                raise
