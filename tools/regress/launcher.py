"""Launchers run self-contained job commands, each in its own directory.

The seam: a launcher gets (key, argv, directory, timeout) tasks and reports
(key, exit code, timed_out, seconds) as each ends. `LocalLauncher` is a process
pool on this machine; a cluster launcher (Slurm) implements the same call.
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


@dataclass
class Outcome:
    key: str
    returncode: int
    timed_out: bool
    seconds: float


class LocalLauncher:
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
