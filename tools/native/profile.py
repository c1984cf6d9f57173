"""cProfile of the Python side of one top_speed_bench job (bench/job_time.py):
cocotb's COCOTB_ENABLE_PROFILING profiles the Python inside its GPI
callbacks (scheduler, pyuvm, cocotbext-axi, scoreboard, model) and writes
cocotb.pstat in the run directory; this reads it back into the top functions
by cumulative and by own time, own time per package, and calls per simulated
cycle (how much of the work is per cycle or per beat rather than per frame)."""

import json
import pstats
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TEST = "top_speed_bench"
GROUPS = (("cocotbext/axi/", "cocotbext-axi"), ("site-packages/cocotb/", "cocotb"),
          ("site-packages/cocotb_tools/", "cocotb"), ("site-packages/pyuvm/", "pyuvm"),
          ("site-packages/cocotb_coverage/", "cocotb-coverage"), ("site-packages/numpy/", "numpy"),
          (str(REPO / "tb") + "/", "tb/"), (str(REPO / "models") + "/", "models/"))


def where(key):
    """'file:line(function)' with the site-packages or repository prefix cut."""
    file, line, fn = key
    for cut in ("site-packages/", str(REPO) + "/"):
        if cut in file:
            file = file.split(cut, 1)[1]
    return f"{file}:{line}({fn})" if line else fn


def group(key):
    file = key[0]
    for part, name in GROUPS:
        if part in file:
            return name
    return "built-ins (VPI calls, int, ...)" if file == "~" else "Python stdlib"


def rows(stats, order, cycles, n):
    keys = sorted(stats.stats, key=lambda k: -stats.stats[k][order])[:n]
    return [{"function": where(k), "calls": stats.stats[k][1], "calls_per_cycle": stats.stats[k][1] / cycles,
             "own_s": stats.stats[k][2], "cumulative_s": stats.stats[k][3]} for k in keys]


def profile_speed_bench(gemms, env, out_dir, params="paper", seed=1, top=25):
    cmd = [sys.executable, "-m", "tb.sim", "--test", TEST, "--sim", "verilator", "--params", params,
           "--seed", str(seed), "--out", str(out_dir)]
    proc = subprocess.run(cmd, cwd=REPO, env=dict(env, COCOTB_ENABLE_PROFILING="1", VSQ_SPEED_GEMMS=str(gemms)),
                          capture_output=True, text=True)
    pstat, result = out_dir / "cocotb.pstat", out_dir / f"{TEST}.json"
    if proc.returncode != 0 or not pstat.exists() or not result.exists():
        raise RuntimeError(f"profiled {TEST} failed (exit {proc.returncode}): {proc.stdout.strip()[-400:]}")
    bench = json.loads(result.read_text())
    stats = pstats.Stats(str(pstat))
    cycles = max(1.0, bench["sim_cycles"])
    per_group = {}
    for k, (_, _, tt, _, _) in stats.stats.items():
        per_group[group(k)] = per_group.get(group(k), 0.0) + tt
    return {"test": TEST, "params": params, "seed": seed, "gemms": gemms, "sim_cycles": bench["sim_cycles"],
            "wall_s_profiled": bench["wall_s"], "profiled_python_s": stats.total_tt,
            "pstat": str(pstat),
            "own_time_by_package": dict(sorted(per_group.items(), key=lambda kv: -kv[1])),
            "top_cumulative": rows(stats, 3, cycles, top), "top_own": rows(stats, 2, cycles, top)}
