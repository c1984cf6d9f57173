"""One job's result, read from its directory, and failure triage.

A job passed only when its results.xml exists, records at least one test and
no failure, and the job was not killed. A job whose build failed did not run:
its status is `not_run` and its message the build's reason. A failure's
message comes from tools/regress/messages.py (cocotb's result first, then the
logs); buckets group failures whose messages are equal once numbers and hex
are replaced.
"""

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass
from pathlib import Path

from tools.regress import messages

NOT_RUN = "not_run"


@dataclass
class JobResult:
    name: str
    test: str
    bench: str
    sim: str
    params: str
    seed: int
    status: str  # pass | fail | timeout | error | not_run (its build failed)
    seconds: float
    message: str
    repro: str
    log: str
    directory: str
    # The simulation's own wall time: cocotb's per-test times in results.xml
    # (0.0 when it wrote none). `seconds` is the whole job's wall time.
    sim_seconds: float = 0.0
    coverage_dat: str = ""  # the code-coverage file holding this job's hits (its batch segment's)

    def to_json(self):
        return asdict(self)


def first_error(*logs):
    """The first error line of the logs (a build's log, say), or the 'no message' text."""
    return messages.from_logs(*logs) or "no error message in the logs"


def junit_counts(results_xml):
    """(tests, failures, simulated seconds) in a cocotb results.xml, or None when unreadable."""
    try:
        root = ET.parse(results_xml).getroot()
    except (OSError, ET.ParseError):
        return None
    tests = failures = 0
    sim = 0.0
    for case in root.iter("testcase"):
        tests += 1
        if case.find("failure") is not None or case.find("error") is not None:
            failures += 1
        try:
            sim += float(case.get("time") or 0.0)
        except ValueError:
            pass
    return tests, failures, sim


def status_of(counts, returncode, timed_out, killed=""):
    """The one rule of a job's status: `counts` is junit_counts' (None when
    cocotb wrote no results), `killed` the reason a scheduler gave, if any."""
    if timed_out:
        return "timeout"
    if killed or counts is None or counts[0] == 0:
        return "error"
    return "fail" if counts[1] or returncode != 0 else "pass"


def collect(job, directory, outcome, coverage_dat=""):
    """A job's result. An outcome with a `reason` (killed by the scheduler,
    lost) is a timeout or an error with that reason: never a pass.
    `outcome.seconds` is the job's wall time (its share of its batch)."""
    directory = Path(directory)
    counts = junit_counts(directory / "results.xml")
    killed = getattr(outcome, "reason", "")
    status = status_of(counts, outcome.returncode, outcome.timed_out, killed)
    message = "" if status == "pass" else messages.failure_message(directory, outcome.returncode)
    if killed:
        message = killed
    elif status == "timeout":
        message = f"killed after the {job.timeout} s timeout"
    result = JobResult(job.name, job.test, job.bench, job.sim, job.params, job.seed, status,
                       round(outcome.seconds, 2), message, job.repro(), str(directory / "job.log"),
                       str(directory), round(counts[2], 3) if counts else 0.0, coverage_dat)
    # Written as soon as the job ends: an interrupted run keeps every result.
    (directory / "result.json").write_text(json.dumps(result.to_json(), indent=1))
    return result


def not_run(job, directory, build_reason):
    """The result of a job that never started because its build failed."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    build = f"{job.bench} for {job.sim}/{job.params}" + (" with coverage" if job.coverage else "")
    message = f"not run: the build of {build} failed: {build_reason}"
    (directory / "job.log").write_text(message + "\n")
    result = JobResult(job.name, job.test, job.bench, job.sim, job.params, job.seed, NOT_RUN, 0.0,
                       message, job.repro(), str(directory / "job.log"), str(directory))
    (directory / "result.json").write_text(json.dumps(result.to_json(), indent=1))
    return result


def normalize(message):
    # The repro line names the simulator and seed: the same bug seen under
    # both simulators is one bucket.
    message = message.split(" Reproduce: ")[0]
    message = re.sub(r"0x[0-9a-fA-F]+", "<hex>", message)
    message = re.sub(r"-?\d+(\.\d+)?", "<n>", message)
    return message


def buckets(results):
    """[(normalized message, [results])], biggest bucket first."""
    groups = {}
    for r in results:
        if r.status != "pass":
            groups.setdefault(normalize(r.message), []).append(r)
    return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))

