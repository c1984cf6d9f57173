"""One job's result, read from its directory, and failure triage.

A job passed only when its results.xml exists, records at least one test and
no failure, and the job was not killed. A failure's message is the first
error line of its logs; buckets group failures whose messages are equal once
numbers and hex are replaced.
"""

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass
from pathlib import Path

ERROR_PATTERNS = (r"AssertionError: (.*)", r"MISMATCH (.*)", r"^sim: (.*)", r"(Error: .*)",
                  r"(\w+Error: .*)", r"(regress: killed .*)")


@dataclass
class JobResult:
    name: str
    test: str
    bench: str
    sim: str
    params: str
    seed: int
    status: str  # pass | fail | timeout | error
    seconds: float
    message: str
    repro: str
    log: str
    directory: str

    def to_json(self):
        return asdict(self)


def first_error(*logs):
    for log in logs:
        try:
            text = Path(log).read_text(errors="replace")
        except OSError:
            continue
        for pat in ERROR_PATTERNS:
            m = re.search(pat, text, re.MULTILINE)
            if m:
                return " ".join(m.group(1).split())[:400]
    return "no error message in the logs"


def junit_counts(results_xml):
    """(tests, failures) in a cocotb results.xml, or None when unreadable."""
    try:
        root = ET.parse(results_xml).getroot()
    except (OSError, ET.ParseError):
        return None
    cases = root.iter("testcase")
    tests = failures = 0
    for case in cases:
        tests += 1
        if case.find("failure") is not None or case.find("error") is not None:
            failures += 1
    return tests, failures


def collect(job, directory, outcome):
    """A job's result. An outcome with a `reason` (killed by the scheduler,
    lost) is a timeout or an error with that reason: never a pass."""
    directory = Path(directory)
    counts = junit_counts(directory / "results.xml")
    killed = getattr(outcome, "reason", "")
    if outcome.timed_out:
        status = "timeout"
    elif killed:
        status = "error"
    elif counts is None or counts[0] == 0:
        status = "error"
    elif counts[1] or outcome.returncode != 0:
        status = "fail"
    else:
        status = "pass"
    message = "" if status == "pass" else first_error(directory / "sim.log", directory / "job.log")
    if killed:
        message = killed
    elif status == "timeout":
        message = f"killed after the {job.timeout} s timeout"
    result = JobResult(job.name, job.test, job.bench, job.sim, job.params, job.seed, status,
                       round(outcome.seconds, 2), message, job.repro(), str(directory / "job.log"),
                       str(directory))
    # Written as soon as the job ends: an interrupted run keeps every result.
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

