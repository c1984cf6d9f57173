"""What the bench report says about its numbers: the findings (headline, goals
missed, notes), the comparison with the paper and the sections' texts.

Every figure and every cause stated here is computed from the benchmarks'
JSON of this run (or is the paper's, from ``PAPER``): a sentence that names a
cause is written only when the data shows it, and says what it saw otherwise.
The method texts (how a number is measured) state no results.
"""

import re

from tools.bench_report_tables import pct

PAPER = {
    "utilization": 0.98,  # MAC utilization the chip reaches
    "vsq_energy_overhead_pct": 0.8,  # Table II: VS-Quant's energy over plain INT4
    "int4_macs_per_cycle": 1024,
}
PYTHON_BOUND = 0.5  # a run whose Python share is above this is bounded by the Python side, not the simulator


def ran_shapes(util):
    return {n: r for n, r in (util or {}).items() if r.get("steady") is not None}


def load_cycles(r):
    b = r["breakdown_cycles"]
    return b["load_A"] + b["load_B"] + b["load_T"]


def serial_loads(r):
    """True when the loads, the last-load → START gap and Σ CYC_TOTAL fit in the end-to-end window one after
    the other, i.e. the measured loads did not overlap the compute."""
    return load_cycles(r) + r["breakdown_cycles"]["start"] + r["cyc_total"] <= r["cycles_end_to_end_serial"]


def end_to_end_notes(ran):
    """Why end-to-end utilization differs from steady state, as far as the cycle breakdown shows it."""
    below = [n for n, r in ran.items() if r["mac_active_end_to_end"] < r["mac_active_steady"] - 0.005]
    serial = [n for n, r in ran.items() if serial_loads(r)]
    shares = [load_cycles(r) / r["cycles_end_to_end_serial"] for r in ran.values()]
    low = min(ran, key=lambda n: ran[n]["end_to_end"])
    s = (f"With overlap (two operand banks, the descriptor queue; every GEMM of a layer chained) end-to-end "
         f"utilization is {pct(min(r['end_to_end'] for r in ran.values()))} ({low}) … "
         f"{pct(max(r['end_to_end'] for r in ran.values()))}, more than half a point below steady state "
         f"(padded MACs counted as work) on {len(below)} of {len(ran)} shapes. Without overlap it is "
         f"{pct(min(r['end_to_end_serial'] for r in ran.values()))} … "
         f"{pct(max(r['end_to_end_serial'] for r in ran.values()))}: operand loads take "
         f"{pct(min(shares))} … {pct(max(shares))} of those cycles. ")
    if len(serial) == len(ran):
        s += ("Without overlap, on every shape the loads, the last load → START gap and Σ CYC_TOTAL add up to no "
              "more than the window: a tile's loads add to its compute.")
    elif serial:
        s += (f"The loads do not overlap compute on {len(serial)} of {len(ran)} shapes; on "
              f"{', '.join(n for n in ran if n not in serial)} they do (the parts exceed the window).")
    else:
        s += "The loads overlap compute on every shape (the parts of each window exceed it)."
    notes = [s + " The lowest (counting padded MACs as work, so that padding does not hide the cause):"]
    for n in sorted(ran, key=lambda n: ran[n]["mac_active_end_to_end"])[:4]:
        r = ran[n]
        if r.get("why_end_to_end"):
            notes.append(f"{n}: {pct(r['mac_active_end_to_end'])} — {r['why_end_to_end']}.")
    return notes


def python_share_note(speed):
    """Python's share of each run's wall time, the runs it bounds, and whether the simulators' ratio follows it."""
    runs = [r for r in (speed or {}).get("runs", {}).values() if r.get("passed")]
    if not runs:
        return None
    s = ("Python's share of the simulation wall time: "
         + ", ".join(f"{r['sim']} {r['param_set']} {pct(r['python_share'], 0)}" for r in runs) + ". ")
    bound = [f"{r['sim']} {r['param_set']}" for r in runs if r["python_share"] > PYTHON_BOUND]
    if bound:
        s += (f"Above {pct(PYTHON_BOUND, 0)} on {', '.join(bound)}: there the cocotb/pyuvm/cocotbext-axi side "
              f"(per-cycle stream agents, scoreboard, model), not the simulator, bounds the speed.")
    else:
        s += f"At most {pct(PYTHON_BOUND, 0)} on every run: the simulators' own evaluation dominates."
    ratio = speed.get("verilator_over_icarus") or {}
    vshare = {r["param_set"]: r["python_share"] for r in runs if r["sim"] == "verilator"}
    both = [p for p in ratio if p in vshare]
    if len(both) >= 2:
        low, busy = min(both, key=ratio.get), max(both, key=vshare.get)
        s += " Verilator / Icarus: " + ", ".join(f"{ratio[p]:.1f}× ({p})" for p in both)
        s += ("; the smallest ratio is where Verilator's run spends the largest share in Python "
              f"({busy}): Python's work is the same under both simulators, so it caps the ratio." if low == busy else
              f"; the smallest ratio ({low}) is not where Verilator's run spends the largest share in Python "
              f"({busy}): Python's share does not explain it.")
    return s


def cells_note(cells):
    d = (cells or {}).get("paper", (cells or {}).get("fast", {})).get("derived")
    if not d:
        return None
    p = cells.get("paper") or cells.get("fast")
    vec = p.get("engine", {}).get("params", {}).get("VEC")
    per_vector = f" of {vec} MACs" if vec else ""
    return (f"VS-Quant's logic over plain INT4 in the lane: +{d['vsq_overhead_pct_over_int4']:.1f} % gate "
            f"equivalents (+{d.get('vsq_share_of_engine_pct', 0):.1f} % of the engine's logic), against the "
            f"chip's +{PAPER['vsq_energy_overhead_pct']} % energy (Table II). Not the same measure: the chip's "
            f"figure is energy of the whole accelerator (SRAM reads, data movement and clocking dominate it, and "
            f"the scale product is computed once per vector{per_vector}), ours is cell area of the arithmetic "
            f"alone, with memories excluded.")


def findings(util, layers, speed, cells, model, goal):
    """(headline dict, [missed-goal lines], [note lines])"""
    missed, notes, head = [], [], {}
    ran = ran_shapes(util)
    if ran:
        head["utilization_steady_min"] = min(r["steady"] for r in ran.values())
        head["utilization_end_to_end_min"] = min(r["end_to_end"] for r in ran.values())
        for n, r in ran.items():
            if not r["goal_met"]:
                missed.append(f"Steady-state utilization of {n}: {pct(r['steady'])} < {pct(goal, 0)}. "
                              f"Why: {r['why_below_goal']}.")
        notes += end_to_end_notes(ran)
    for n, r in (util or {}).items():
        if r.get("steady") is None:
            missed.append(f"{n} was not run: {r.get('infeasible')}.")
    if speed and speed.get("verilator_over_icarus"):
        head["verilator_over_icarus"] = speed["verilator_over_icarus"]
    for note in (python_share_note(speed), cells_note(cells)):
        if note:
            notes.append(note)
    for p in ("paper", "fast"):
        if p in (cells or {}) and "derived" in cells[p]:
            head[f"cells_{p}"] = cells[p]["derived"]
    if model:
        goal_m = model.get("gemm_ratio_goal")
        r1 = model.get("gemm_ratio_blas_1_thread")
        if goal_m and r1 is not None and r1 > goal_m:
            missed.append(f"Reference-model GEMM ratio {r1:.2f} (1 BLAS thread) > goal {goal_m}.")
    return head, missed, notes


def side_by_side(util, cells, ratio, speed, model=None, goal=None):
    head = ["measure", "this RTL (measured)", "paper (JSSC 2023)"]
    rows = []
    ran = list(ran_shapes(util).values())
    if ran:
        met = sum(r["goal_met"] for r in ran)
        rows.append(["MAC utilization, steady state (per GEMM, START → last word)",
                     f"{pct(min(r['steady'] for r in ran), 2)} … {pct(max(r['steady'] for r in ran), 2)}; "
                     f"≥ {pct(goal, 0)} on {met} of {len(ran)} shapes", pct(PAPER["utilization"], 0)])
        rows.append(["MAC utilization, end-to-end (operand loads and result drain through AXI)",
                     f"{pct(min(r['end_to_end'] for r in ran), 2)} … {pct(max(r['end_to_end'] for r in ran), 2)}",
                     "–"])
    p = (cells or {}).get("paper")
    if p:
        lanes, vec = p["engine"]["params"]["LANES"], p["engine"]["params"]["VEC"]
        d = p["derived"]
        rows.append(["INT4 MACs per cycle", f"{lanes * vec} (LANES {lanes} × VEC {vec})",
                     str(PAPER["int4_macs_per_cycle"])])
        rows.append(["VS-Quant overhead over plain INT4",
                     f"+{d['vsq_overhead_pct_over_int4']:.1f} % lane logic (GE); "
                     f"+{d['vsq_share_of_engine_pct']:.1f} % of the engine's logic",
                     f"+{PAPER['vsq_energy_overhead_pct']} % energy (Table II)"])
        rows.append(["INT8 path (over INT4 + VSQ)", f"+{d['int8_overhead_pct_over_int4_vsq']:.1f} % lane logic; "
                     f"+{d['int8_share_of_engine_pct']:.1f} % of the engine's logic", "–"])
        rows.append(["Logic per INT4 MAC/cycle (engine; its SRAM-sized buffers excluded)",
                     f"{d['engine_ge_per_int4_mac_per_cycle']:.0f} GE", "–"])
    for k, v in (ratio or {}).items():
        rows.append([f"Verilator / Icarus speed ({k} configuration)", f"{v:.1f}×", "–"])
    if model:
        one, dflt = model["blas_1_thread"], model["blas_default_threads"]
        rows.append(["Reference model / numpy float32 (1 BLAS thread; default threads)",
                     f"GEMM {one['gemm_ratio']:.2f}× ({dflt['gemm_ratio']:.2f}×), "
                     f"softmax {one['softmax_ratio']:.1f}× ({dflt['softmax_ratio']:.1f}×)", "–"])
    return head, rows


# ---------------------------------------------------------------- the sections' texts


def util_text(top):
    """How the utilization is measured, with the workload as this run's data names it."""
    util = ran_shapes(top.get("utilization"))
    models = sorted({r["model"] for r in util.values() if "model" in r})
    seqs = sorted({r["seq"] for r in util.values() if "seq" in r})
    workload = (f"the GEMMs of one layer of {' and '.join(models)} at sequence lengths "
                f"{', '.join(str(s) for s in seqs)} ({len(util)} shapes)" if models else "the GEMMs of the table")
    padded = [n for n, r in util.items() if r["useful_fraction"] < 1]
    return (
        f"Workload: {workload}, mapped as numerics.md §3 (linear: A = W, B = Xᵀ; QKᵀ: A = K_h, B = Q_hᵀ, "
        "out_mode softmax; P·V: A = V_hᵀ, B = P, mode int8), one GEMM per shape (a head's GEMMs for qk and pv). "
        "Shapes larger than the buffers are tiled as a driver would (tools/bench_workloads.py): K whole, balanced "
        "M and N tiles, the loop order that loads fewer words, resident operands not reloaded, the g/bias table "
        "reloaded with A. *steady* = useful MACs / (peak MACs of the mode × Σ CYC_TOTAL): the top's counters from "
        "START to the last result word; *end-to-end* = the same over the window from the first operand beat of "
        "each tile's loads to its last result word (TREADY always high; the host's reaction time between tiles "
        "not counted). Useful MACs: padded MACs do not count"
        + (f" (padded here: {', '.join(padded)})" if padded else "")
        + "; bench.json has the counter-only figures too (`mac_active_*`). In int8 (P·V) the peak is half the "
        "INT4 one (VEC/2 MACs per lane). " + extrapolation_text(top))


def extrapolation_text(top):
    if not top:
        return ""
    v = top.get("validation")
    s = (f"Each distinct tile class was simulated once ({len(top.get('tiles', {}))} classes, "
         f"{top.get('simulated_cycles', 0):,} simulated cycles) and every shape extrapolated exactly by its tile "
         f"counts (the timing is data independent and the top idle between tiles). ")
    if v:
        s += (f"Check: all {v['tiles']} tiles of {v['plan']} run back to back took {v['measured_cycles']:,} "
              f"cycles, the extrapolation says {v['extrapolated_cycles']:,} "
              f"({'equal per tile' if v['per_tile_equal'] else 'NOT equal per tile'}).")
    return s


SPEED_TEXT = (
    "The same system test (top_speed_bench: top_random_test's sequence, fixed seed, fixed GEMM count, every "
    "result checked by the scoreboard) under each simulator and configuration, one after the other. Python "
    "share: the wall time inside cocotb's GPI callbacks (every entry from the simulator into cocotb, pyuvm, "
    "cocotbext-axi, the scoreboard and the model), timed with perf_counter at the hook cocotb uses for "
    "COCOTB_ENABLE_PROFILING; the rest is the simulator. Under Icarus the bench also runs its X/Z check on "
    "every output change (tb/top/xcheck.py), as the system test does. ")
MODEL_TEXT = (
    "bench/model_speed.py: the bit-exact int4_vsq GEMM (models.gemm.gemm_acc) against one float32 numpy matmul "
    "of the same shape, and the bit-exact Softermax against a float32 softmax, best of alternating repetitions.")


def speed_text(speed):
    if not speed:
        return SPEED_TEXT
    lb, la = speed.get("load_average_1min", [0, 0])
    g = speed["gemms"]
    g = ", ".join(f"{v} in the {k} configuration" for k, v in g.items()) if isinstance(g, dict) else g
    return SPEED_TEXT + (f"GEMMs per run: {g}; seed {speed['seed']}; load average {lb:.1f} → {la:.1f} on "
                         f"{speed.get('cores')} cores.")


def cells_text(cells):
    """How the logic is counted (the weights, memory threshold and ABC script of this run's cells.json) and
    the derived figures per configuration."""
    s = ("bench/synth_cells.py: yosys generic synthesis per block (proc, opt, wreduce, alumacc, memory -nomap, "
         "techmap, abc to a NAND/NOR/AND/OR/XOR/XNOR/ANDNOT/ORNOT/MUX gate set), hierarchical (a module with the "
         "same parameters synthesized once and counted per instance). ")
    if not cells:
        return s
    w = cells.get("weights_nand2_ge") or {}
    if w:
        s += ("Single weighted total: NAND2 gate equivalents ("
              + ", ".join(f"{k.strip('$_')} = {v:g}" for k, v in w.items() if k.startswith("$_"))
              + (f", flop {w['flop']:g} (+{w.get('flop_enable_or_reset', 0):g} per enable or reset)"
                 if "flop" in w else "") + "). ")
    m = re.search(r"r:SIZE<(\d+)", cells.get("flow", ""))
    if m:
        words = int(m.group(1))
        s += (f"Memories of {words} words or more stay $mem cells, counted as memory bits apart (SRAM macros on a "
              f"chip); smaller ones are register files: mapped to flops and counted. ")
        a_depth = ((cells.get("fast") or {}).get("engine") or {}).get("params", {}).get("A_DEPTH")
        if a_depth is not None and a_depth < words:
            s += (f"In the fast configuration the A banks have {a_depth} words and so count as flops: its engine's "
                  f"cost per MAC is not comparable with the paper one's. ")
    parts = []
    for p in ("fast", "paper"):
        d = (cells.get(p) or {}).get("derived")
        if d:
            parts.append(f"{p}: VSQ +{d['vsq_overhead_pct_over_int4']:.1f} % over INT4 in the lane "
                         f"(+{d['vsq_share_of_engine_pct']:.1f} % of the engine), INT8 +"
                         f"{d['int8_overhead_pct_over_int4_vsq']:.1f} % over INT4+VSQ "
                         f"(+{d['int8_share_of_engine_pct']:.1f} % of the engine), "
                         f"{d['engine_ge_per_int4_mac_per_cycle']:.0f} GE of engine per INT4 MAC/cycle "
                         f"({d['lane_ge_per_int4_mac_per_cycle']:.0f} in the lane alone)")
    flow = cells.get("abc_script")
    return s + "; ".join(parts) + "." + (f" ABC script: {flow}." if flow else "")
