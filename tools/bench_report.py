"""The report of `make bench`: merges the benchmarks' JSON files of
build/bench/ into bench.json (keys utilization, sim_speed, model_speed,
cells, ...), draws the plots (PNG, matplotlib) and writes report.html and
report.md, the numbers side by side with the paper's (Keller et al., JSSC
2023), with every missed goal and its reason. Called by tools/bench.py;
`python -m tools.bench --report-only` redraws from the JSON already there.

Modules: this one merges and lays out the sections; bench_report_findings
says what the numbers show (computed from them), bench_report_tables makes
the tables and writes markdown / HTML, bench_report_plots draws.
"""

import json
from pathlib import Path

from tools.bench_report_findings import (MODEL_TEXT, PAPER, cells_text, findings, side_by_side, speed_text,
                                         util_text)
from tools.bench_report_plots import plots
from tools.bench_report_tables import (cells_table, engine_table, md_table, model_rows, speed_table, util_table,
                                       write_html, write_md)

OWN = {"bench", "steps", "sim_builds"}  # JSON files in build/bench/ that are not a benchmark's result


def write_report(out, machine, steps):
    out = Path(out)
    found = {f.stem: json.loads(f.read_text()) for f in sorted(out.glob("*.json")) if f.stem not in OWN}
    top = found.pop("top_utilization", None) or {}
    speed = found.pop("sim_speed", None)
    model = found.pop("model_speed", None)
    cells = found.pop("cells", None)
    util, layers = top.get("utilization"), top.get("layers")
    goal = top.get("goal_steady", PAPER["utilization"])
    merged = {
        "machine": machine, "steps": steps, "paper": PAPER,
        "utilization": util, "utilization_layers": layers,
        "utilization_details": {k: v for k, v in top.items() if k not in ("utilization", "layers")},
        "sim_speed": speed, "model_speed": model, "cells": cells, **found,
    }
    head, missed, notes = findings(util, layers, speed, cells, model, goal)
    merged["headline"] = head
    merged["goals_missed"] = missed
    ran_on = f"{top.get('param_set', '?')} configuration, {str(top.get('sim', '?')).capitalize()}"
    made = plots(out, util, cells, speed, goal, PAPER["utilization"], ran_on)

    ut = util_table(util, layers, goal)
    st = speed_table(speed)
    ct = cells_table(cells)
    mt = model_rows(model)
    ratio = (speed or {}).get("verilator_over_icarus", {})
    side = side_by_side(util, cells, ratio, speed, model, goal)

    headline_md = "\n\n".join([
        f"**MAC utilization** ({ran_on}, RTL counters; useful MACs):\n\n" + md_table(*ut),
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
        ("1. MAC utilization per GEMM shape", ut, "utilization", util_text(top)),
        (None, None, "breakdown", None),
        ("2. Simulation speed", st, "sim_speed", speed_text(speed)),
        ("3. Reference-model speed", mt, None, MODEL_TEXT),
        ("4. Logic cost (yosys)", ct, "cells", cells_text(cells)),
        ("Steps of this run", (["step", "script", "status", "seconds"], steps_rows), None, None),
    ]
    et = engine_table(merged.get("engine_utilization"))
    if et:
        sections.insert(3, ("1b. The engine alone (buffers preloaded; bench/engine_utilization.py)", et, None,
                            "The GEMM engine without the top: operands written straight into its buffers, no "
                            "PPU; its counters (cyc_mac / cyc_total), paper configuration, Verilator."))
    write_md(out, meta, sections, made, missed, notes)
    write_html(out, meta, sections, made, missed, notes)
    return merged
