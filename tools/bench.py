"""`make bench`: every benchmark of build/bench/, measured in this run on this
machine, merged into build/bench/bench.json and written up in
build/bench/report.html and report.md with PNG plots (tools/bench_report.py).
Nothing here is asserted: the exit code is 1 only when a benchmark failed
to run (a simulation's scoreboard, a tool), and the report says which.

Scripts (bench/*.py, each writes build/bench/<name>.json, its output goes
to build/bench/logs/<name>.log). Two phases, to use two cores without
letting one measurement disturb another:

1. side by side (two workers): numbers that do not depend on wall time —
   the yosys cell counts (synth_cells, one core), and on the other core the
   simulator builds (timed; sim_speed --build-only), the end-to-end
   utilization through the top (top_utilization: cycle counts) and the
   Softermax accuracy;
2. one at a time, nothing else of ours running: everything timed by the
   wall clock — simulation speed (sim_speed), the cocotb flow against a
   native Verilator harness (native_speed), where a job's time goes
   (job_time: stages of a short job, a profile of the paper speed bench), the engine benchmark
   (engine_utilization, which also times its simulators) and the
   reference model's speed (model_speed).

A bench/*.py script that is in neither list runs at the end of phase 2.
Options: --only NAME[,NAME] runs just those scripts (then merges whatever
JSON is in build/bench/), --report-only rebuilds the report from the JSON
already there.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "build" / "bench"
LOGS = OUT / "logs"

# (name, script, extra args)
PHASE1_A = [("synth_cells", "synth_cells.py", [])]
PHASE1_B = [("sim_builds", "sim_speed.py", ["--build-only"]),
            ("top_utilization", "top_utilization.py", []),
            ("softmax_accuracy", "softmax_accuracy.py", [])]
PHASE2 = [("sim_speed", "sim_speed.py", []),
          ("native_speed", "native_speed.py", []),
          ("job_time", "job_time.py", []),
          ("engine_utilization", "engine_utilization.py", []),
          ("model_speed", "model_speed.py", [])]


def run_script(name, script, args, env, results):
    LOGS.mkdir(parents=True, exist_ok=True)
    log = LOGS / f"{name}.log"
    print(f"bench: {name} ...", flush=True)
    t0 = time.perf_counter()
    with open(log, "w") as fh:
        rc = subprocess.run([sys.executable, str(REPO / "bench" / script), *args], cwd=REPO, env=env,
                            stdout=fh, stderr=subprocess.STDOUT).returncode
    secs = time.perf_counter() - t0
    results[name] = {"script": script, "args": args, "exit": rc, "seconds": round(secs, 1), "log": str(log)}
    status = "ok" if rc == 0 else f"FAILED (exit {rc}), see {log}"
    print(f"bench: {name} {status} ({secs:.0f} s)", flush=True)
    if rc != 0:
        tail = log.read_text().splitlines()[-15:]
        print("\n".join("    " + line for line in tail), file=sys.stderr, flush=True)


def run_list(items, env, results):
    for name, script, args in items:
        run_script(name, script, args, env, results)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", default="", help="comma-separated step names to run")
    ap.add_argument("--report-only", action="store_true")
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    steps_file = OUT / "steps.json"
    results = json.loads(steps_file.read_text()) if (args.only or args.report_only) and steps_file.exists() else {}
    t0 = time.perf_counter()
    load_start = os.getloadavg()[0]

    if not args.report_only:
        known = {s for _, s, _ in PHASE1_A + PHASE1_B + PHASE2}
        others = [(p.stem, p.name, []) for p in sorted((REPO / "bench").glob("*.py"))
                  if p.name not in known and not p.name.startswith("_")]
        only = {n for n in args.only.split(",") if n}

        def pick(items):
            return [i for i in items if not only or i[0] in only]

        a, b = pick(PHASE1_A), pick(PHASE1_B)
        # A step's old result must not pass for this run's: remove what the steps about to run write.
        outputs = {"synth_cells": "cells"}
        for name, _, _ in a + b + pick(PHASE2) + pick(others):
            (OUT / f"{outputs.get(name, name)}.json").unlink(missing_ok=True)
        worker = threading.Thread(target=run_list, args=(a, env, results))
        worker.start()
        run_list(b, env, results)
        worker.join()
        run_list(pick(PHASE2) + pick(others), env, results)
        steps_file.write_text(json.dumps(results, indent=1) + "\n")

    from tools.bench_report import write_report
    machine = {
        "cores": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
        "load_average_1min_start": load_start, "load_average_1min_end": os.getloadavg()[0],
        "bench_seconds": round(time.perf_counter() - t0, 1),
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }
    if args.only:
        machine["partial_run"] = f"--only {args.only}: the other results are from earlier runs"
    old = OUT / "bench.json"
    if args.report_only and old.exists():  # the machine facts of the run that measured
        machine = json.loads(old.read_text()).get("machine", machine)
    merged = write_report(OUT, machine, results)
    print(f"bench: {OUT / 'bench.json'}, {OUT / 'report.html'}, {OUT / 'report.md'} "
          f"({machine['bench_seconds']:.0f} s on {machine['cores']} cores)")
    print(merged["headline_markdown"])
    return 0 if all(r["exit"] == 0 for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
