"""cProfile of the Python side of one top_speed_bench job (bench/job_time.py):
cocotb's COCOTB_ENABLE_PROFILING profiles the Python inside its GPI
callbacks (scheduler, pyuvm, cocotbext-axi, scoreboard, model) and writes
cocotb.pstat in the run directory; this reads it back into the top functions
by cumulative and by own time, own time per package, and calls per simulated
cycle (how much of the work is per cycle or per beat rather than per frame),
and the same own time by the testbench's job (`buckets`: stream agents,
AXI4-Lite, register model, scoreboard and model, coverage, stimulus, cocotb's
scheduler, ...), with the time of built-ins, the standard library and numpy
given to the bucket of their callers (in proportion to the time each caller
spent in them), so a VPI write counts where the agent made it."""

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


# (path part, bucket): the first that matches a function's file names its bucket.
BUCKETS = (
    ("cocotbext/axi/axis.py", "stream agents (AXI4-Stream)"), ("tb/top/stream_agents.py", "stream agents (AXI4-Stream)"),
    ("tb/topfast/fast_agents.py", "stream agents (AXI4-Stream)"), ("tb/topfast/fast_lib.py", "stream agents (AXI4-Stream)"),
    ("cocotbext/axi/", "AXI4-Lite (agent, channels)"), ("tb/top/axil_agent.py", "AXI4-Lite (agent, channels)"),
    ("tb/topfast/fast_axil.py", "AXI4-Lite (agent, channels)"),
    ("tb/top/regmodel.py", "register model (pyuvm uvm_reg)"), ("pyuvm/_reg/", "register model (pyuvm uvm_reg)"),
    ("tb/top/scoreboard.py", "scoreboard and model"), ("tb/top/layout.py", "scoreboard and model"),
    ("tb/top/refusal.py", "scoreboard and model"), ("models/casegen", "stimulus (sequences, case generation)"),
    ("models/", "scoreboard and model"),
    ("tb/top/coverage.py", "coverage"), ("cocotb_coverage/", "coverage"),
    ("tb/top/host_monitor.py", "host and irq monitors"), ("tb/top/seq_lib/", "stimulus (sequences, case generation)"),
    ("tb/common/valid_ready.py", "stimulus (sequences, case generation)"),
    ("importlib", "late imports and coverage export"), ("_pytest/", "late imports and coverage export"),
    ("yaml/", "late imports and coverage export"),
    ("site-packages/cocotb/", "cocotb scheduler and triggers"), ("pyuvm/", "pyuvm (phases, TLM ports)"),
    ("tb/", "testbench (other)"),
)
NEUTRAL = "shared"  # built-ins, the standard library, numpy: their callers' bucket


def bucket(key):
    file = key[0]
    for part, name in BUCKETS:
        if part in file:
            return name
    return NEUTRAL


def buckets(stats, depth=6):
    """Own time by bucket, neutral functions' time given to their callers' buckets."""
    out = {}

    def give(key, t, level):
        b = bucket(key)
        if b != NEUTRAL or level >= depth:
            out[b if b != NEUTRAL else "unattributed"] = out.get(b if b != NEUTRAL else "unattributed", 0.0) + t
            return
        callers = stats.stats[key][4]
        total = sum(c[2] for c in callers.values()) if callers else 0.0
        if total <= 0:
            out["unattributed"] = out.get("unattributed", 0.0) + t
            return
        for caller, c in callers.items():
            if caller in stats.stats:
                give(caller, t * c[2] / total, level + 1)

    for key, (_, _, tt, _, _) in stats.stats.items():
        give(key, tt, 0)
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


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


def profile_speed_bench(gemms, env, out_dir, params="paper", seed=1, top=25, test=TEST):
    """`test`: top_speed_bench (cocotbext-axi) or top_fast_speed_bench (the fast path: same traffic)."""
    cmd = [sys.executable, "-m", "tb.sim", "--test", test, "--sim", "verilator", "--params", params,
           "--seed", str(seed), "--out", str(out_dir)]
    proc = subprocess.run(cmd, cwd=REPO, env=dict(env, COCOTB_ENABLE_PROFILING="1", VSQ_SPEED_GEMMS=str(gemms)),
                          capture_output=True, text=True)
    pstat, result = out_dir / "cocotb.pstat", out_dir / f"{TEST}.json"
    if proc.returncode != 0 or not pstat.exists() or not result.exists():
        raise RuntimeError(f"profiled {test} failed (exit {proc.returncode}): {proc.stdout.strip()[-400:]}")
    bench = json.loads(result.read_text())
    stats = pstats.Stats(str(pstat))
    cycles = max(1.0, bench["sim_cycles"])
    per_group = {}
    for k, (_, _, tt, _, _) in stats.stats.items():
        per_group[group(k)] = per_group.get(group(k), 0.0) + tt
    return {"test": test, "params": params, "seed": seed, "gemms": gemms, "sim_cycles": bench["sim_cycles"],
            "wall_s_profiled": bench["wall_s"], "profiled_python_s": stats.total_tt,
            "pstat": str(pstat),
            "own_time_by_package": dict(sorted(per_group.items(), key=lambda kv: -kv[1])),
            "buckets": buckets(stats),
            "top_cumulative": rows(stats, 3, cycles, top), "top_own": rows(stats, 2, cycles, top)}
