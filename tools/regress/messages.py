"""What a failed job says: one line for its bucket.

The first source that has something wins:
1. cocotb's own result (results.xml): the first failing test's exception type
   and message, or, when the message is empty, the traceback's last line and
   the innermost frame of the project's code. A `SimTimeoutError` names what
   the test awaited (`with_timeout(RisingEdge(dut.done), ...)` gives
   "RisingEdge(dut.done)") and where.
2. The logs (sim.log, then job.log): the first line that looks like an error
   (a refusal of tb.sim, a simulator's error, a scheduler's kill).
3. Nothing: "no error message in the logs", with the exit code, so a job that
   really left nothing is told apart from one whose message was missed.
"""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

LOG_PATTERNS = (r"AssertionError: (.*)", r"MISMATCH (.*)", r"^sim: (.*)", r"(Error: .*)",
                r"(\w+Error: .*)", r"(regress: killed .*)", r"(Segmentation fault.*)",
                r"^(FATAL.*|.*\$fatal.*)")
FRAME = re.compile(r'^\s*File "([^"]+)", line (\d+), in (\S+)\s*$')
MAX = 500

REPO = Path(__file__).resolve().parents[2]


def one_line(text):
    return " ".join(str(text).split())[:MAX]


def _where(path):
    """A frame's file, relative to the repository when it is the project's."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(REPO))
    except ValueError:
        return p.name


def _project_frame(path):
    return "site-packages" not in path and "/lib/python" not in path


def frames(traceback):
    """[(file, line, function, source line)] of a Python traceback text."""
    lines = traceback.splitlines()
    out = []
    for i, line in enumerate(lines):
        m = FRAME.match(line)
        if m:
            src = lines[i + 1].strip() if i + 1 < len(lines) and not FRAME.match(lines[i + 1]) else ""
            out.append((m.group(1), int(m.group(2)), m.group(3), src))
    return out


def _first_argument(call, name):
    """The first argument of `name(...)` in a source line (brackets balanced)."""
    start = call.find(name + "(")
    if start < 0:
        return None
    depth, i = 0, start + len(name) + 1
    for j in range(i, len(call)):
        c = call[j]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                return call[i:j].strip()
            depth -= 1
        elif c == "," and depth == 0:
            return call[i:j].strip()
    return call[i:].strip() or None


def timeout_message(traceback, sim_time=None):
    """The line for a cocotb SimTimeoutError: what was awaited, and where."""
    at = f" at {sim_time} ns" if sim_time else ""
    for path, line, func, src in reversed(frames(traceback)):
        if _project_frame(path) and "with_timeout(" in src:
            awaited = _first_argument(src, "with_timeout") or "?"
            return f"SimTimeoutError: timed out waiting for {awaited} ({_where(path)}:{line} in {func}){at}"
    inner = [f for f in frames(traceback) if _project_frame(f[0])]
    where = f" ({_where(inner[-1][0])}:{inner[-1][1]} in {inner[-1][2]})" if inner else ""
    return f"SimTimeoutError: a timeout expired{where}{at}"


def junit_failure(results_xml):
    """The message of the first failing test in a cocotb results.xml, or None."""
    try:
        root = ET.parse(results_xml).getroot()
    except (OSError, ET.ParseError):
        return None
    for case in root.iter("testcase"):
        bad = case.find("failure")
        if bad is None:
            bad = case.find("error")
        if bad is None:
            continue
        kind = bad.get("type", "") or ""
        message = (bad.get("message") or "").strip()
        traceback = bad.text or ""
        stop = next((p.get("value") for p in case.iter("property") if p.get("name") == "sim_time_stop"), None)
        last = next((ln.strip() for ln in reversed(traceback.splitlines()) if ln.strip()), "")
        if kind.endswith("SimTimeoutError") or last.endswith("SimTimeoutError"):
            return one_line(timeout_message(traceback, _time(stop)))
        inner = [f for f in frames(traceback) if _project_frame(f[0])]
        where = f" (at {_where(inner[-1][0])}:{inner[-1][1]})" if inner else ""
        if message:
            # A simulator that exits early (SimFailure) is placed in time; any
            # other exception but a checker's AssertionError in the project's code.
            at = (f" (sim time {_time(stop)} ns)" if kind.endswith("SimFailure") and _time(stop)
                  else "" if kind.endswith("AssertionError") else where)
            return one_line((f"{kind.split('.')[-1]}: {message}" if kind else message) + at)
        if last:
            return one_line(last + where)
        return one_line(f"{kind or 'failure'} without a message in results.xml")
    return None


def _time(value):
    try:
        t = float(value)
    except (TypeError, ValueError):
        return None
    return f"{t:.0f}" if t == int(t) else f"{t}"


def from_logs(*logs):
    for log in logs:
        try:
            text = Path(log).read_text(errors="replace")
        except OSError:
            continue
        for pat in LOG_PATTERNS:
            m = re.search(pat, text, re.MULTILINE)
            if m:
                return one_line(m.group(1))
    return None


def exit_text(returncode):
    if returncode is None:
        return "no exit code"
    if returncode < 0:
        return f"killed by signal {-returncode}"
    return f"exit code {returncode}"


def failure_message(directory, returncode=None):
    """One line saying what failed in a job directory (results.xml, sim.log, job.log)."""
    d = Path(directory)
    return (junit_failure(d / "results.xml") or from_logs(d / "sim.log", d / "job.log")
            or f"no error message in the logs ({exit_text(returncode)})")
