"""Simulation speed of the system test under Icarus and Verilator, fast and
paper configurations (issue 7 item 2; a benchmark: nothing is asserted).

Each (simulator, configuration) first builds the top (or reuses the build;
timed apart, `rebuilt` says which; `--build-only` does just that, and
make bench runs it early, next to the synthesis), then runs the cocotb benchmark
`top_speed_bench` (tb/top/tests/): top_random_test's sequence with a fixed
seed and a fixed number of GEMMs, every result checked by the scoreboard.
The test measures, over its stimulus: simulated cycles, wall seconds, and
the wall seconds spent in Python (time inside cocotb's GPI callbacks, see
the test's docstring). Reported per run: simulated cycles per wall second,
the Python share of the wall time, and the job's whole wall time
(simulator start-up and Python imports included); per configuration the
ratio Verilator/Icarus of cycles per second (like for like: same test,
seed and configuration, run one after the other).

Speeds depend on the machine and its load: the core count and the 1-minute
load average before and after are recorded. Writes build/bench/sim_speed.json.

    .venv/bin/python bench/sim_speed.py [--gemms fast=16,paper=4] [--seed S] [--configs fast,paper]
                                        [--sims icarus,verilator] [--build-only]
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tb.sim import sim_env  # noqa: E402
from tools.bench_job import run_test_job  # noqa: E402

OUT = REPO / "build" / "bench"
TEST = "top_speed_bench"




def build(sim, params, env):
    """Build (or reuse) the top; (seconds, rebuilt?): rebuilt when the
    simulation model (Icarus' sim.vvp, Verilator's executable) changed."""
    bdir = REPO / "build" / "sim" / "top" / f"{sim}-{params}"
    log = bdir / ("sim.vvp" if sim == "icarus" else "vsq_top")
    before = log.stat().st_mtime if log.exists() else None
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "tb.sim", "--build-only", "top", "--sim", sim, "--params", params],
                          cwd=REPO, env=env, capture_output=True, text=True)
    secs = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"build of top for {sim}/{params} failed: {proc.stderr.strip()[-500:]}")
    after = log.stat().st_mtime if log.exists() else None
    return secs, after is not None and after != before


def run(sim, params, seed, gemms, env):
    out_dir = OUT / "sim_speed" / f"{sim}-{params}"
    proc, job_s, r = run_test_job(TEST, sim, params, seed, out_dir, dict(env, VSQ_SPEED_GEMMS=str(gemms)))
    if r is None:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        return {"sim": sim, "param_set": params, "passed": False, "job_s": job_s, "log": str(out_dir / "sim.log")}
    r.update(passed=True, job_s=job_s)
    return r


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gemms", default="fast=16,paper=4",
                    help="GEMMs of the random system test per run, per configuration (the fast configuration's "
                         "GEMMs are about 16 times smaller)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--configs", default="fast,paper")
    ap.add_argument("--sims", default="icarus,verilator")
    ap.add_argument("--build-only", action="store_true",
                    help="only build (timed) and write build/bench/sim_builds.json; a later run reuses the builds")
    args = ap.parse_args(argv)
    env = sim_env()
    configs = [c for c in args.configs.split(",") if c]
    gemms = {k: int(v) for k, v in (kv.split("=") for kv in args.gemms.split(",") if kv)}
    sims = [s for s in args.sims.split(",") if s]

    builds_file = OUT / "sim_builds.json"
    earlier = json.loads(builds_file.read_text()) if builds_file.exists() and not args.build_only else {}
    builds = {}
    for params in configs:
        for sim in sims:
            key = f"{sim}-{params}"
            secs, rebuilt = build(sim, params, env)
            builds[key] = {"seconds": secs, "rebuilt": rebuilt}
            if not rebuilt and key in earlier:  # built by the --build-only step of this make bench
                builds[key] = dict(earlier[key], reused_by_run=True)
            print(f"sim_speed: build {sim}/{params}: {secs:.1f} s ({'built' if rebuilt else 'reused'})", flush=True)
    if args.build_only:
        OUT.mkdir(parents=True, exist_ok=True)
        builds_file.write_text(json.dumps(builds, indent=1) + "\n")
        return 0

    load_before = os.getloadavg()[0]
    runs = {}
    for params in configs:
        for sim in sims:
            r = run(sim, params, args.seed, gemms.get(params, 4), env)
            r["build"] = builds[f"{sim}-{params}"]
            runs[f"{sim}-{params}"] = r
            if r["passed"]:
                print(f"sim_speed: {sim}/{params}: {r['sim_cycles']:.0f} cycles in {r['wall_s']:.1f} s = "
                      f"{r['cycles_per_s']:,.0f} cycles/s, Python {r['python_share']:.0%} (job {r['job_s']:.1f} s)",
                      flush=True)
            else:
                print(f"sim_speed: {sim}/{params}: FAILED (see {r['log']})", flush=True)
    load_after = os.getloadavg()[0]

    ratio = {}
    for params in configs:
        v, i = runs.get(f"verilator-{params}", {}), runs.get(f"icarus-{params}", {})
        if v.get("passed") and i.get("passed"):
            ratio[params] = v["cycles_per_s"] / i["cycles_per_s"]
    result = {
        "test": TEST, "seed": args.seed, "gemms": {c: gemms.get(c, 4) for c in configs},
        "method": {
            "cycles_per_s": "simulated cycles / wall seconds over the test's stimulus (after reset)",
            "python_share": "wall seconds inside cocotb's GPI callbacks (cocotb scheduler, pyuvm, cocotbext-axi, "
                            "scoreboard, model) / wall seconds; timed with perf_counter at "
                            "cocotb._gpi_triggers.profiling_context, where COCOTB_ENABLE_PROFILING puts cProfile",
            "job_s": "the whole job: simulator start-up, Python imports, reset, stimulus, teardown",
        },
        "runs": runs, "verilator_over_icarus": ratio,
        "cores": os.cpu_count(), "load_average_1min": [load_before, load_after],
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "sim_speed.json").write_text(json.dumps(result, indent=1) + "\n")
    for params, x in ratio.items():
        print(f"sim_speed: Verilator/Icarus ({params}): {x:.1f}x")
    print(f"wrote {(OUT / 'sim_speed.json').relative_to(REPO)}")
    return 0 if all(r["passed"] for r in runs.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
