"""Engine MAC utilization and simulator speed (benchmark, not a test).

Runs the cocotb test `engine_util_bench` (tb/engine/tests/) through the
project runner:
  - Verilator, paper configuration: BERT-base-like int4_vsq GEMMs with the
    buffers preloaded and no back-pressure — M = 16, 64, 128 with K = 768,
    N = 128, and M = 32, K = 3072, N = 32. Utilization = cyc_mac / cyc_total
    from the engine's counters (MAC-active lane-cycles / (LANES · total
    cycles), the lanes being in lockstep). Target: >= 98 % on every shape.
  - The same test in the fast configuration under Icarus and Verilator, for
    simulated cycles per wall-clock second over the start-to-done windows
    (like for like: same test, same configuration, same seed); optionally
    (--icarus-paper) Icarus on the paper configuration too, which is slow.
Writes build/bench/engine_utilization.json and prints the table. Nothing is
asserted about the numbers (`target_met` records the 98 % goal); the exit
code is 1 only when a run failed (its scoreboard or the simulator). The
speed numbers depend on the machine's load; the 1-minute load average at the
start and end is recorded with them.

    .venv/bin/python bench/engine_utilization.py [--seed N] [--icarus-paper]
"""

import argparse
import json
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tb.sim import sim_env  # noqa: E402
from tools.bench_job import run_test_job  # noqa: E402

OUT = REPO / "build" / "bench"
TEST = "engine_util_bench"
TARGET = 0.98


def run(sim, params, seed):
    """One runner job; returns the test's JSON (plus the job's wall time)."""
    proc, job_s, result = run_test_job(TEST, sim, params, seed, OUT / "engine_util" / f"{sim}-{params}", sim_env())
    if result is None:
        sys.stderr.write(proc.stdout + proc.stderr)
        return {"sim": sim, "param_set": params, "passed": False, "job_s": job_s}
    result.update(passed=True, job_s=job_s)
    return result


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--icarus-paper", action="store_true", help="also run Icarus on the paper configuration")
    args = ap.parse_args(argv)

    jobs = [("verilator", "paper"), ("verilator", "fast"), ("icarus", "fast")]
    if args.icarus_paper:
        jobs.append(("icarus", "paper"))
    load_before = os.getloadavg()[0]
    runs = {f"{s}-{p}": run(s, p, args.seed) for s, p in jobs}
    load_after = os.getloadavg()[0]

    paper = runs["verilator-paper"]
    table = []
    if paper["passed"]:
        for r in paper["rows"]:
            table.append({k: r[k] for k in ("M", "N", "K", "mode", "cyc_total", "cyc_mac", "utilization")})
    speed = {name: r.get("cycles_per_s") for name, r in runs.items()}
    ratio = {}
    for cfg in ("fast", "paper"):
        v, i = speed.get(f"verilator-{cfg}"), speed.get(f"icarus-{cfg}")
        if v and i:
            ratio[cfg] = v / i
    target_met = bool(table) and all(r["utilization"] >= TARGET for r in table)
    report = {
        "test": TEST, "seed": args.seed, "target": TARGET, "target_met": target_met,
        "utilization_paper_verilator": table,
        "cycles_per_wall_s": speed, "verilator_over_icarus": ratio,
        "load_average_1min": [load_before, load_after], "cores": os.cpu_count(),
        "runs": runs,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "engine_utilization.json").write_text(json.dumps(report, indent=2) + "\n")

    print("| M | N | K | mode | cyc_total | cyc_mac | utilization |")
    print("|---|---|---|---|---|---|---|")
    for r in table:
        print(f"| {r['M']} | {r['N']} | {r['K']} | {r['mode']} | {r['cyc_total']} | {r['cyc_mac']} "
              f"| {r['utilization']:.2%} |")
    print()
    print("| simulator / configuration | passed | simulated cycles per wall second |")
    print("|---|---|---|")
    for name, r in runs.items():
        cps = r.get("cycles_per_s")
        print(f"| {name} | {r['passed']} | {cps:,.0f} |" if cps else f"| {name} | {r['passed']} | - |")
    for cfg, x in ratio.items():
        print(f"Verilator / Icarus ({cfg} configuration, same test): {x:.1f}x")
    print(f"target {TARGET:.0%} on every paper shape: {'met' if target_met else 'MISSED'}; "
          f"wrote {OUT / 'engine_utilization.json'}")
    return 0 if all(r["passed"] for r in runs.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
