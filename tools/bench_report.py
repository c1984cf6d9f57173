"""The report of `make bench`: merges the benchmarks' JSON files of
build/bench/ into bench.json (keys utilization, sim_speed, model_speed,
cells, ...), draws the plots (PNG, matplotlib) and writes report.html and
report.md, the numbers side by side with the paper's (Keller et al., JSSC
2023), with every missed goal and its reason. Called by tools/bench.py;
`python -m tools.bench --report-only` redraws from the JSON already there.
"""

import html
import json
from pathlib import Path

PAPER = {
    "utilization": 0.98,  # MAC utilization the chip reaches
    "vsq_energy_overhead_pct": 0.8,  # Table II: VS-Quant's energy over plain INT4
    "int4_macs_per_cycle": 1024,
}
GOAL_STEADY = 0.98
OWN = {"bench", "steps", "sim_builds"}  # JSON files in build/bench/ that are not a benchmark's result


def _load(out, name):
    f = out / f"{name}.json"
    return json.loads(f.read_text()) if f.exists() else None


def pct(x, digits=1):
    return "–" if x is None else f"{100 * x:.{digits}f} %"


def num(x, digits=0):
    return "–" if x is None else f"{x:,.{digits}f}"


# ---------------------------------------------------------------- tables (rows of strings)

def util_table(util, layers):
    head = ["shape", "M×N×K (GEMM)", "mode → out", "tiles (first M_t×N_t, loop order)", "steady", "end-to-end",
            "steady ≥ 98 %"]
    rows = []
    for name, r in (util or {}).items():
        if r.get("steady") is None:
            rows.append([name, "", "", "", "–", "–", f"not run: {r.get('infeasible', '')}"])
            continue
        pad = "" if r["useful_fraction"] == 1 else f" (K padded to {r['padded']['K']})"
        tile = "×".join(r["tile_classes"][0].split("-")[0].split("x")[:2]) if r.get("tile_classes") else ""
        rows.append([name, f"{r['M']}×{r['N']}×{r['K']}{pad}", f"{r['mode']} → {r['out_mode']}",
                     (f"{r['tiles']} ({tile}, {r.get('order', '').replace('_', '-')})" if r["tiles"] > 1 else
                      f"1 ({tile})") if tile else str(r["tiles"]),
                     pct(r["steady"], 2), pct(r["end_to_end"], 2), "met" if r["goal_met"] else "**missed**"])
    for name, lay in (layers or {}).items():
        rows.append([f"{name} (all GEMMs of a layer)", "", "", "", pct(lay["steady"], 2), pct(lay["end_to_end"], 2),
                     "met" if lay["steady"] >= GOAL_STEADY else "missed"])
    return head, rows


def speed_table(speed):
    head = ["simulator", "configuration", "simulated cycles / s", "Python share of wall time", "cycles", "wall s",
            "job s", "build s"]
    rows = []
    for key, r in (speed or {}).get("runs", {}).items():
        if not r.get("passed"):
            rows.append([r["sim"], r["param_set"], "failed", "", "", "", num(r.get("job_s"), 1), ""])
            continue
        b = r.get("build", {})
        build = f"{b['seconds']:.0f}" + ("" if b.get("rebuilt") else " (reused)") if b else ""
        rows.append([r["sim"], r["param_set"], num(r["cycles_per_s"]), pct(r["python_share"]), num(r["sim_cycles"]),
                     num(r["wall_s"], 1), num(r["job_s"], 1), build])
    return head, rows


CELL_BLOCKS = [("lane_int4", "lane, INT4 only"), ("lane_int4_vsq", "lane, INT4 + VSQ"),
               ("lane_int4_int8_vsq", "lane, INT4 + INT8 + VSQ"),
               ("engine", "engine (lanes, collector, control; A/B buffers as memory bits)"),
               ("ppu_with_softmax", "PPU (with the softmax unit)"), ("softmax", "softmax unit")]


def cells_table(cells):
    psets = [p for p in ("fast", "paper") if p in (cells or {})]
    head = ["block"] + [f"{p}: {c}" for p in psets for c in ("cells", "GE (NAND2)", "flops", "memory bits")]
    rows = []
    for b, label in CELL_BLOCKS:
        row = [label]
        for p in psets:
            r = cells[p].get(b)
            row += [num(r["cells"]), num(r["gate_equivalents"]), num(r["flops"]), num(r["memory_bits"])] if r else \
                ["–"] * 4
        rows.append(row)
    return head, rows


def md_table(head, rows):
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def html_table(head, rows):
    def cell(c):
        c = html.escape(str(c))
        return c.replace("**missed**", "<b class=miss>missed</b>")
    out = ["<table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in head) + "</tr>"]
    out += ["<tr>" + "".join(f"<td>{cell(c)}</td>" for c in r) + "</tr>" for r in rows]
    return "\n".join(out) + "</table>"


# ---------------------------------------------------------------- plots

def legend_below(fig, ax, ncol):
    """The axes' legend in a band of fixed height under the plot."""
    band = 0.75 / fig.get_figheight()  # inches → figure fraction
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=ncol, fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, band, 1, 1))


def plots(out, util, cells, speed):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    made = {}
    names = [n for n, r in (util or {}).items() if r.get("steady") is not None]
    if names:
        y = range(len(names))

        def shape_chart(draw, xlabel, title, ncol, png):
            """A horizontal-bar chart with one row per GEMM shape, in percent."""
            fig, ax = plt.subplots(figsize=(9, 0.32 * len(names) + 2.2))
            draw(ax)
            ax.set_yticks(list(y), names, fontsize=8)
            ax.invert_yaxis()
            ax.set_xlim(0, 100)
            ax.set_xlabel(xlabel)
            ax.set_title(title)
            legend_below(fig, ax, ncol=ncol)
            fig.savefig(out / png, dpi=110)
            plt.close(fig)
            return png

        def utilization(ax):
            ax.barh([i + 0.2 for i in y], [100 * util[n]["steady"] for n in names], 0.4,
                    label="steady (START → last word)")
            ax.barh([i - 0.2 for i in y], [100 * util[n]["end_to_end"] for n in names], 0.4,
                    label="end-to-end (loads and drain through AXI)")
            ax.axvline(100 * GOAL_STEADY, color="k", ls="--", lw=1, label="goal / chip: 98 %")

        made["utilization"] = shape_chart(
            utilization, "useful MAC utilization (%)",
            "MAC utilization per GEMM shape (paper configuration, Verilator, RTL counters)", 3, "utilization.png")

        def part(n, key):
            r = util[n]
            b = r["breakdown_cycles"]
            if key == "useful":
                v = b["mac_active"] * r["useful_fraction"]
            elif key == "padding":
                v = b["mac_active"] * (1 - r["useful_fraction"])
            else:
                v = b[key]
            return 100 * v / r["cycles_end_to_end"]

        parts = [("useful", "MAC-active, useful"), ("padding", "MAC-active, padding"),
                 ("pipeline_and_drain", "fill + drain after START"), ("start", "last load → START"),
                 ("load_A", "load A"), ("load_B", "load B"), ("load_T", "load g/bias")]

        def breakdown(ax):
            left = [0.0] * len(names)
            for key, label in parts:
                vals = [part(n, key) for n in names]
                ax.barh(list(y), vals, left=left, label=label)
                left = [a + b for a, b in zip(left, vals)]

        made["breakdown"] = shape_chart(breakdown, "share of end-to-end cycles (%)",
                                        "Where the cycles go (end-to-end, per GEMM)", 4, "utilization_breakdown.png")

    psets = [p for p in ("fast", "paper") if p in (cells or {})]
    if psets:
        fig, ax = plt.subplots(figsize=(9, 4))
        width = 0.8 / len(psets)
        for i, p in enumerate(psets):
            vals = [cells[p].get(b, {}).get("gate_equivalents", 0) for b, _ in CELL_BLOCKS]
            bars = ax.bar([j + i * width for j in range(len(CELL_BLOCKS))], vals, width, label=f"{p} configuration")
            for bar, v in zip(bars, vals):
                ax.annotate(f"{v / 1000:.0f}k" if v >= 1000 else f"{v:.0f}",
                            (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center", va="bottom", fontsize=7)
        ax.set_xticks([j + width * (len(psets) - 1) / 2 for j in range(len(CELL_BLOCKS))],
                      [lbl.replace(", ", ",\n").replace(" (", "\n(") for _, lbl in CELL_BLOCKS], fontsize=7)
        ax.set_yscale("log")
        ax.set_ylabel("NAND2 gate equivalents (log)")
        ax.set_title("Logic per block (yosys generic synthesis; SRAM-sized memories counted apart)")
        ax.legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(out / "cells.png", dpi=110)
        plt.close(fig)
        made["cells"] = "cells.png"

    runs = [r for r in (speed or {}).get("runs", {}).values() if r.get("passed")]
    if runs:
        fig, ax = plt.subplots(figsize=(7, 4))
        labels = [f"{r['sim']}\n{r['param_set']}" for r in runs]
        bars = ax.bar(range(len(runs)), [r["cycles_per_s"] for r in runs],
                      color=["tab:orange" if r["sim"] == "icarus" else "tab:blue" for r in runs])
        for b, r in zip(bars, runs):
            ax.annotate(f"{r['cycles_per_s']:,.0f}/s\nPython {100 * r['python_share']:.0f} %",
                        (b.get_x() + b.get_width() / 2, b.get_height()), ha="center", va="bottom", fontsize=8)
        ax.set_xticks(range(len(runs)), labels)
        ax.set_yscale("log")
        ax.set_ylabel("simulated cycles per wall second (log)")
        ax.set_title("Simulation speed of the system test (top_speed_bench)")
        ax.margins(y=0.3)
        fig.tight_layout()
        fig.savefig(out / "sim_speed.png", dpi=110)
        plt.close(fig)
        made["sim_speed"] = "sim_speed.png"
    return made


# ---------------------------------------------------------------- findings

def findings(util, layers, speed, cells, model):
    """(headline dict, [missed-goal lines], [note lines])"""
    missed, notes, head = [], [], {}
    ran = {n: r for n, r in (util or {}).items() if r.get("steady") is not None}
    if ran:
        head["utilization_steady_min"] = min(r["steady"] for r in ran.values())
        head["utilization_end_to_end_min"] = min(r["end_to_end"] for r in ran.values())
        for n, r in ran.items():
            if not r["goal_met"]:
                missed.append(f"Steady-state utilization of {n}: {pct(r['steady'])} < 98 %. "
                              f"Why: {r['why_below_goal']}.")
        notes.append(
            "End-to-end utilization is below steady state on every shape because the top holds operand loads off "
            "while a GEMM runs (single A/B buffers, docs/rtl-top.md): a tile's loads add to its compute instead of "
            "overlapping it. The lowest (counting padded MACs as work, so that padding does not hide the cause):")
        for n in sorted(ran, key=lambda n: ran[n]["mac_active_end_to_end"])[:4]:
            r = ran[n]
            if "why_end_to_end" in r:
                notes.append(f"{n}: {pct(r['mac_active_end_to_end'])} — {r['why_end_to_end']}.")
    for n, r in (util or {}).items():
        if r.get("steady") is None:
            missed.append(f"{n} was not run: {r.get('infeasible')}.")
    if speed and speed.get("verilator_over_icarus"):
        head["verilator_over_icarus"] = speed["verilator_over_icarus"]
    runs = {k: r for k, r in (speed or {}).get("runs", {}).items() if r.get("passed")}
    if runs:
        shares = ", ".join(f"{r['sim']} {r['param_set']} {pct(r['python_share'], 0)}" for r in runs.values())
        notes.append(f"Python's share of the simulation wall time ({shares}): where the design is small (fast "
                     f"configuration) or the simulator fast (Verilator), the cocotb/pyuvm/cocotbext-axi side "
                     f"(per-cycle stream agents, scoreboard, model) bounds the speed and the Verilator/Icarus "
                     f"ratio shrinks; in the paper configuration the simulator's own evaluation dominates.")
    if cells:
        for p in ("paper", "fast"):
            if p in cells and "derived" in cells[p]:
                head[f"cells_{p}"] = cells[p]["derived"]
        d = cells.get("paper", cells.get("fast", {})).get("derived")
        if d:
            notes.append(
                f"VS-Quant's logic over plain INT4 in the lane: +{d['vsq_overhead_pct_over_int4']:.1f} % gate "
                f"equivalents (+{d.get('vsq_share_of_engine_pct', 0):.1f} % of the engine's logic), against the "
                f"chip's +0.8 % energy (Table II). Not the same measure: the chip's figure is energy of the whole "
                f"accelerator (SRAM reads, data movement and clocking dominate it, and the scale product is "
                f"computed once per vector of 64 MACs), ours is cell area of the arithmetic alone, with memories "
                f"excluded.")
    if model:
        goal = model.get("gemm_ratio_goal")
        r1 = model.get("gemm_ratio_blas_1_thread")
        if goal and r1 is not None and r1 > goal:
            missed.append(f"Reference-model GEMM ratio {r1:.2f} (1 BLAS thread) > goal {goal}.")
    return head, missed, notes


def model_rows(model):
    if not model:
        return ["measure", "value"], []
    s = model["shape"]
    macs = s["M"] * s["K"] * s["N"]
    rows = []
    for label, key in (("default BLAS threads", "blas_default_threads"), ("1 BLAS thread", "blas_1_thread")):
        r = model[key]
        gemm_s, mm_s = r["gemm_acc_int4_vsq_s"], r["matmul_float32_s"]
        rows.append([label, f"{gemm_s * 1e3:.1f} ms ({macs / gemm_s / 1e9:.1f} GMAC/s)",
                     f"{mm_s * 1e3:.1f} ms ({macs / mm_s / 1e9:.1f} GMAC/s)", f"{r['gemm_ratio']:.2f}",
                     f"{r['softermax_s'] * 1e3:.2f} ms", f"{r['softmax_float32_s'] * 1e3:.2f} ms",
                     f"{r['softmax_ratio']:.1f}"])
    head = ["BLAS", f"int4_vsq gemm_acc {s['M']}×{s['K']}×{s['N']}", "float32 matmul", "ratio", "softermax",
            "float32 softmax", "ratio"]
    return head, rows


# ---------------------------------------------------------------- the report

def write_report(out, machine, steps):
    out = Path(out)
    found = {f.stem: json.loads(f.read_text()) for f in sorted(out.glob("*.json")) if f.stem not in OWN}
    top = found.pop("top_utilization", None) or {}
    speed = found.pop("sim_speed", None)
    model = found.pop("model_speed", None)
    cells = found.pop("cells", None)
    util, layers = top.get("utilization"), top.get("layers")
    merged = {
        "machine": machine, "steps": steps, "paper": PAPER,
        "utilization": util, "utilization_layers": layers,
        "utilization_details": {k: v for k, v in top.items() if k not in ("utilization", "layers")},
        "sim_speed": speed, "model_speed": model, "cells": cells, **found,
    }
    head, missed, notes = findings(util, layers, speed, cells, model)
    merged["headline"] = head
    merged["goals_missed"] = missed
    made = plots(out, util, cells, speed)

    ut = util_table(util, layers)
    st = speed_table(speed)
    ct = cells_table(cells)
    mt = model_rows(model)
    ratio = (speed or {}).get("verilator_over_icarus", {})
    side = side_by_side(util, cells, ratio, speed, model)

    headline_md = "\n\n".join([
        "**MAC utilization** (paper configuration, Verilator, RTL counters; useful MACs):\n\n" + md_table(*ut),
        "**Simulation speed** (top_speed_bench; Verilator/Icarus: "
        + ", ".join(f"{k} {v:.1f}×" for k, v in ratio.items()) + "):\n\n" + md_table(*st),
        "**Against the paper:**\n\n" + md_table(*side),
    ])
    merged["headline_markdown"] = headline_md
    (out / "bench.json").write_text(json.dumps(merged, indent=1) + "\n")

    steps_rows = [[n, s["script"] + (" " + " ".join(s["args"]) if s["args"] else ""),
                   "ok" if s["exit"] == 0 else f"FAILED ({s['exit']})", f"{s['seconds']:.0f}"]
                  for n, s in (steps or {}).items()]
    meta = (f"Measured on this machine in this run: {machine.get('cores')} cores, {machine.get('platform')}, "
            f"1-minute load average {machine.get('load_average_1min_start', 0):.1f} at the start and "
            f"{machine.get('load_average_1min_end', 0):.1f} at the end; make bench took "
            f"{machine.get('bench_seconds', 0):.0f} s ({machine.get('date')}). Wall-clock numbers (simulation and "
            f"model speed) depend on that load; cycle counts, cell counts and accuracy do not."
            + (f" Partial run ({machine['partial_run']})." if machine.get("partial_run") else ""))
    sections = [
        ("Headline: against the paper", side, None, None),
        ("1. MAC utilization per GEMM shape", ut, "utilization", UTIL_TEXT + extrapolation_text(top)),
        (None, None, "breakdown", None),
        ("2. Simulation speed", st, "sim_speed", SPEED_TEXT + speed_text(speed)),
        ("3. Reference-model speed", mt, None, MODEL_TEXT),
        ("4. Logic cost (yosys)", ct, "cells", CELLS_TEXT + cells_text(cells)),
        ("Steps of this run", (["step", "script", "status", "seconds"], steps_rows), None, None),
    ]
    eng = merged.get("engine_utilization")
    if eng and eng.get("utilization_paper_verilator"):
        et = (["M", "N", "K", "mode", "cyc_total", "cyc_mac", "utilization"],
              [[r["M"], r["N"], r["K"], r["mode"], r["cyc_total"], r["cyc_mac"], pct(r["utilization"], 2)]
               for r in eng["utilization_paper_verilator"]])
        sections.insert(3, ("1b. The engine alone (buffers preloaded; bench/engine_utilization.py)", et, None,
                            "The GEMM engine without the top: operands written straight into its buffers, no "
                            "PPU; its counters (cyc_mac / cyc_total), paper configuration, Verilator."))
    write_md(out, meta, sections, made, missed, notes)
    write_html(out, meta, sections, made, missed, notes)
    return merged


def side_by_side(util, cells, ratio, speed, model=None):
    head = ["measure", "this RTL (measured)", "paper (JSSC 2023)"]
    rows = []
    ran = [r for r in (util or {}).values() if r.get("steady") is not None]
    if ran:
        met = sum(r["goal_met"] for r in ran)
        rows.append(["MAC utilization, steady state (per GEMM, START → last word)",
                     f"{pct(min(r['steady'] for r in ran), 2)} … {pct(max(r['steady'] for r in ran), 2)}; "
                     f"≥ 98 % on {met} of {len(ran)} shapes", "98 %"])
        rows.append(["MAC utilization, end-to-end (operand loads and result drain through AXI)",
                     f"{pct(min(r['end_to_end'] for r in ran), 2)} … {pct(max(r['end_to_end'] for r in ran), 2)}",
                     "–"])
    p = (cells or {}).get("paper")
    if p:
        lanes, vec = p["engine"]["params"]["LANES"], p["engine"]["params"]["VEC"]
        d = p["derived"]
        rows.append(["INT4 MACs per cycle", f"{lanes * vec} (LANES {lanes} × VEC {vec})", "1024"])
        rows.append(["VS-Quant overhead over plain INT4",
                     f"+{d['vsq_overhead_pct_over_int4']:.1f} % lane logic (GE); "
                     f"+{d['vsq_share_of_engine_pct']:.1f} % of the engine's logic", "+0.8 % energy (Table II)"])
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


UTIL_TEXT = (
    "Workload: the GEMMs of one layer of BERT-base (hidden 768, FFN 3072, 12 heads of 64) and MiniLM-L6 (384, "
    "1536, 12 heads of 32) at sequence lengths 128 and 384, mapped as numerics.md §3 (linear: A = W, B = Xᵀ; "
    "QKᵀ: A = K_h, B = Q_hᵀ, out_mode softmax; P·V: A = V_hᵀ, B = P, mode int8), one GEMM per shape (a head's "
    "GEMMs for qk and pv). Shapes larger than the buffers are tiled as a driver would (tools/bench_workloads.py): "
    "K whole, balanced M and N tiles, the loop order that loads fewer words, resident operands not reloaded, "
    "the g/bias table reloaded with A. *steady* = useful MACs / (peak MACs of the mode × Σ CYC_TOTAL): the "
    "top's counters from START to the last result word; *end-to-end* = the same over the window from the first "
    "operand beat of each tile's loads to its last result word (TREADY always high; the host's reaction time "
    "between tiles not counted). Useful MACs: padded MACs (MiniLM's head dim 32 padded to V = 64 in QKᵀ) do not "
    "count; bench.json has the counter-only figures too (`mac_active_*`). In int8 (P·V) the peak is half the "
    "INT4 one (VEC/2 MACs per lane). ")
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
CELLS_TEXT = (
    "bench/synth_cells.py: yosys generic synthesis per block (proc, opt, wreduce, alumacc, memory -nomap, "
    "techmap, abc to a NAND/NOR/AND/OR/XOR/XNOR/ANDNOT/ORNOT/MUX gate set), hierarchical (a module with the same "
    "parameters synthesized once and counted per instance). Single weighted total: NAND2 gate equivalents "
    "(NAND2 = 1, XOR = 2.33, MUX = 2.33, flop 4.67 (+1 per enable or reset)). Memories of 64 words or more "
    "(the A banks and the B buffer of the paper configuration, the PPU's group buffer and tables, the softmax "
    "storage) stay $mem cells, counted as memory bits apart: SRAM macros on a chip. Smaller ones (the "
    "engine's collector, FIFOs, the softmax unit's per-column state) are register files: mapped to flops and "
    "counted. In the fast configuration the A banks have only 32 words and so count as flops, which is why its "
    "engine costs more per MAC than the paper one. ABC: abc's default script for a gate library without its "
    "SAT-sweeping prelude (on the paper lane 1.7 % more gates than the full script, 4× faster; docs/bench.md). "
    "Read the counts to about ±0.5 %: the same flow has given the INT4-only paper lane 13,612 and 13,696 GE in "
    "two checkouts. ")


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


def speed_text(speed):
    if not speed:
        return ""
    lb, la = speed.get("load_average_1min", [0, 0])
    g = speed["gemms"]
    g = ", ".join(f"{v} in the {k} configuration" for k, v in g.items()) if isinstance(g, dict) else g
    return (f"GEMMs per run: {g}; seed {speed['seed']}; load average {lb:.1f} → {la:.1f} on "
            f"{speed.get('cores')} cores.")


def cells_text(cells):
    if not cells:
        return ""
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
    return "; ".join(parts) + "." + (f" ABC script: {flow}." if flow else "")


def write_md(out, meta, sections, made, missed, notes):
    lines = ["# make bench: performance and hardware cost", "", meta, ""]
    lines += ["## Goals missed and why", ""] + [f"- {m}" for m in missed or ["none"]] + [""]
    lines += ["## Notes", ""] + [f"- {n}" for n in notes] + [""]
    for title, table, plot, text in sections:
        if title:
            lines += [f"## {title}", ""]
        if text:
            lines += [text, ""]
        if table and table[1]:
            lines += [md_table(*table), ""]
        if plot and plot in made:
            lines += [f"![{plot}]({made[plot]})", ""]
    (out / "report.md").write_text("\n".join(lines))


def write_html(out, meta, sections, made, missed, notes):
    css = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}"
           "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 8px;"
           "font-size:13px;text-align:left}th{background:#eee}.miss{color:#b00}img{max-width:100%}")
    body = [f"<h1>make bench: performance and hardware cost</h1><p>{html.escape(meta)}</p>",
            "<h2>Goals missed and why</h2><ul>" + "".join(f"<li>{html.escape(m)}</li>" for m in missed or ["none"])
            + "</ul>", "<h2>Notes</h2><ul>" + "".join(f"<li>{html.escape(n)}</li>" for n in notes) + "</ul>"]
    for title, table, plot, text in sections:
        if title:
            body.append(f"<h2>{html.escape(title)}</h2>")
        if text:
            body.append(f"<p>{html.escape(text)}</p>")
        if table and table[1]:
            body.append(html_table(*table))
        if plot and plot in made:
            body.append(f'<img src="{made[plot]}" alt="{plot}">')
    (out / "report.html").write_text(f"<!doctype html><html><head><meta charset=utf-8><title>make bench</title>"
                                     f"<style>{css}</style></head><body>{''.join(body)}</body></html>\n")
