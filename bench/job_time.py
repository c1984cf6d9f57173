"""Where a runner job's time goes (issue 17; a benchmark: nothing asserted).

1. Stages of one typical short job (`python -m tb.sim --test T ...`, what
   tools/regress runs per job), timed from outside: the job runs with
   bench/native/stage_probe first on PYTHONPATH, whose sitecustomize stamps
   the start of both interpreters (the job's and the simulator's embedded
   one) and the start and end of the cocotb runner's build (the build check)
   and test (the simulator process), pyuvm's run_test (the test's phases)
   and the coverage export. Stages: process start (spawn to the job's Python
   up), imports and test discovery, build check, simulator start (its process
   and embedded Python up), simulator-side imports and cocotb start-up (to the
   test's first phase), the test's phases less the coverage write, the
   coverage write, simulator teardown, the job's exit. `--runs` times, the
   median per stage; one more run with PYTHONPROFILEIMPORTTIME lists the
   heaviest imports of both interpreters.
2. A cProfile of the Python side of the paper-configuration top_speed_bench
   (COCOTB_ENABLE_PROFILING: cocotb profiles inside its GPI callbacks, i.e.
   all Python the simulator calls): the top functions by cumulative and by
   own time, own time per package and by the testbench's job (buckets); the
   same for the fast path (top_fast_speed_bench, tb/topfast), same traffic.

Writes build/bench/job_time.json and job_time.md (its own report section).

    .venv/bin/python bench/job_time.py [--test ppu_modes_test] [--sim icarus] [--params fast]
        [--runs 3] [--profile-gemms 4] [--no-profile]
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tools.native.profile import profile_speed_bench  # noqa: E402
from tools.native.report_job import markdown  # noqa: E402
from tb.sim import sim_env  # noqa: E402

OUT = REPO / "build" / "bench"
WORK = OUT / "job_time"
PROBE = REPO / "bench" / "native" / "stage_probe"

# (stage, from event, to event); events are "<role>:<event>", "spawn" and "exit" the parent's.
STAGES = [
    ("process start (job's Python up)", "spawn", "runner:python_up"),
    ("imports, test discovery, checks", "runner:python_up", "runner:build_check:start"),
    ("build check (build reused)", "runner:build_check:start", "runner:build_check:end"),
    ("run setup", "runner:build_check:end", "runner:simulator:start"),
    ("simulator start (+ embedded Python up)", "runner:simulator:start", "sim:python_up"),
    ("simulator-side imports, cocotb start-up", "sim:python_up", "sim:test:start"),
    ("test phases (the simulation)", "sim:test:start", "sim:coverage_write:start"),
    ("coverage write", "sim:coverage_write:start", "sim:coverage_write:end"),
    ("test end to simulator exit", "sim:coverage_write:end", "runner:simulator:end"),
    ("results, job exit", "runner:simulator:end", "exit"),
]


def job_cmd(args, out_dir):
    return [sys.executable, "-m", "tb.sim", "--test", args.test, "--sim", args.sim, "--params", args.params,
            "--seed", str(args.seed), "--out", str(out_dir)]


def timed_job(args, env, i):
    out_dir = WORK / f"run{i}"
    probe = WORK / f"probe{i}.jsonl"
    probe.unlink(missing_ok=True)
    penv = dict(env, VSQ_STAGE_PROBE=str(probe),
                PYTHONPATH=os.pathsep.join([str(PROBE), env.get("PYTHONPATH", "")]))
    t0 = time.time()
    proc = subprocess.run(job_cmd(args, out_dir), cwd=REPO, env=penv, capture_output=True, text=True)
    t1 = time.time()
    if proc.returncode != 0:
        raise RuntimeError(f"job failed (exit {proc.returncode}): {(proc.stdout + proc.stderr).strip()[-600:]}")
    events = {"spawn": t0, "exit": t1}
    for line in probe.read_text().splitlines():
        e = json.loads(line)
        events.setdefault(f"{e['role']}:{e['event']}", e["t"])  # the first of each (one test per job)
    missing = [e for _, a, b in STAGES for e in (a, b) if e not in events]
    if missing:
        raise RuntimeError(f"stage probe saw no {missing} (see {probe})")
    stages = {name: events[b] - events[a] for name, a, b in STAGES}
    real = re.search(r"TESTS=\d+ PASS=\d+ FAIL=\d+ SKIP=\d+\s+([\d.]+)\s+([\d.]+)", (out_dir / "sim.log").read_text())
    return {"job_s": t1 - t0, "stages": stages, "cocotb_real_time_s": float(real.group(2)) if real else None}


def import_times(args, env, top=12):
    """Heaviest top-level imports of the job's and the simulator's interpreter (PYTHONPROFILEIMPORTTIME)."""
    out_dir = WORK / "importtime"
    proc = subprocess.run(job_cmd(args, out_dir), cwd=REPO, env=dict(env, PYTHONPROFILEIMPORTTIME="1"),
                          capture_output=True, text=True)

    def parse(text):
        rows = []
        for m in re.finditer(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)", text):
            if len(m.group(3)) <= 1:  # depth 0: a top-level import of that interpreter
                rows.append((m.group(4), int(m.group(2)) / 1e6))
        total = sum(s for _, s in rows)
        return {"total_s": total, "top": sorted(rows, key=lambda r: -r[1])[:top]}

    log = out_dir / "sim.log"
    return {"job": parse(proc.stderr), "simulator": parse(log.read_text() if log.exists() else "")}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--test", default="ppu_modes_test", help="a typical short job (unit bench, fast, Icarus)")
    ap.add_argument("--sim", default="icarus")
    ap.add_argument("--params", default="fast")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--profile-gemms", type=int, default=4, help="GEMMs of the profiled paper speed bench")
    ap.add_argument("--no-profile", action="store_true")
    args = ap.parse_args(argv)
    env = sim_env(dict(os.environ, PYTHONPATH=str(REPO)))
    WORK.mkdir(parents=True, exist_ok=True)
    (OUT / "job_time.md").unlink(missing_ok=True)  # an old section must not pass for this run's
    result = {"job": {"test": args.test, "sim": args.sim, "params": args.params, "seed": args.seed},
              "cores": os.cpu_count(), "method": __doc__.split("\n\n")[1:3]}
    try:
        bench = subprocess.run([sys.executable, "-m", "tb.sim", "--list"], cwd=REPO, env=env,
                               capture_output=True, text=True, check=True).stdout
        name = dict(line.split("\t") for line in bench.splitlines()).get(args.test)
        if name is None:
            raise RuntimeError(f"unknown test '{args.test}'")
        subprocess.run(["nice", sys.executable, "-m", "tb.sim", "--build-only", name, "--sim", args.sim,
                        "--params", args.params], cwd=REPO, env=env, check=True, capture_output=True)
        l0 = os.getloadavg()[0]
        runs = [timed_job(args, env, i) for i in range(args.runs)]
        result["load_average_1min"] = [l0, os.getloadavg()[0]]
        result["runs"] = runs
        result["median"] = {
            "job_s": statistics.median(r["job_s"] for r in runs),
            "stages": {s: statistics.median(r["stages"][s] for r in runs) for s, _, _ in STAGES},
        }
        med = result["median"]
        med["simulation_share"] = med["stages"]["test phases (the simulation)"] / med["job_s"]
        result["imports"] = import_times(args, env)
        if not args.no_profile:
            l0 = os.getloadavg()[0]
            result["profile"] = profile_speed_bench(args.profile_gemms, env, WORK / "profile")
            result["profile"]["load_average_1min"] = [l0, os.getloadavg()[0]]
            l0 = os.getloadavg()[0]  # the same traffic through the fast path (tb/topfast)
            result["profile_fast"] = profile_speed_bench(args.profile_gemms, env, WORK / "profile-fast",
                                                         test="top_fast_speed_bench")
            result["profile_fast"]["load_average_1min"] = [l0, os.getloadavg()[0]]
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        print(f"job_time: {exc}", file=sys.stderr)
        return 1
    (OUT / "job_time.json").write_text(json.dumps(result, indent=1) + "\n")
    (OUT / "job_time.md").write_text(markdown(result))
    print(f"job_time: {args.test} {med['job_s']:.2f} s, simulation {med['simulation_share']:.0%}; "
          f"wrote {(OUT / 'job_time.json').relative_to(REPO)}, job_time.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
