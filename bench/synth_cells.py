"""Logic cost with yosys (issue 7 §4): a generic `synth`-style flow per block
and configuration, cells by type, one weighted total in NAND2 gate
equivalents, and memory bits counted apart (they would be SRAM macros, so
they are kept as $mem cells and not mapped to flops).

Blocks: the lane in three builds (INT4 only, INT4 + VSQ, INT4 + INT8 + VSQ),
the engine, the PPU (with the softmax unit inside) and the softmax unit on its
own, in the fast and the paper configuration. Synthesis is hierarchical: a
module with the same parameters is synthesized once and counted per instance.
Writes build/bench/cells.json; prints a table.
"""

import json
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tb.common.params import PARAM_SETS  # noqa: E402

OUT = REPO / "build" / "bench"

# NAND2 gate equivalents of yosys' internal gate cells (a common textbook set).
GE = {"$_NOT_": 0.67, "$_NAND_": 1.0, "$_NOR_": 1.0, "$_AND_": 1.33, "$_OR_": 1.33,
      "$_ANDNOT_": 1.33, "$_ORNOT_": 1.33, "$_XOR_": 2.33, "$_XNOR_": 2.33, "$_MUX_": 2.33}
FLOP_GE = 4.67  # plain D flop; an enable or a synchronous reset adds a mux's worth
FLOP_EXTRA_GE = 1.0

# (block name, top module, parameter names from the set, fixed parameters)
BLOCKS = [
    ("lane_int4", "vsq_lane", ("VEC",), {"HAS_INT8": 0, "HAS_VSQ": 0}),
    ("lane_int4_vsq", "vsq_lane", ("VEC",), {"HAS_INT8": 0, "HAS_VSQ": 1}),
    ("lane_int4_int8_vsq", "vsq_lane", ("VEC",), {"HAS_INT8": 1, "HAS_VSQ": 1}),
    ("engine", "vsq_engine", ("LANES", "VEC", "ACC_DEPTH", "A_DEPTH", "B_DEPTH"), {}),
    ("ppu_with_softmax", "vsq_ppu", ("LANES", "VEC", "ACC_DEPTH", "A_DEPTH"), {}),
    ("softmax", "vsq_softmax", ("LANES", "VEC", "ACC_DEPTH"), {}),
]

FLOW = ("hierarchy -top {top}; proc; opt; wreduce; alumacc; opt; memory -nomap; opt -full; "
        "techmap; opt -fast; abc -g AND,NAND,OR,NOR,XOR,XNOR,ANDNOT,ORNOT,MUX; opt_clean; "
        "tee -q -o {stat} stat; write_json {json}")


def weight(cell):
    if cell in GE:
        return GE[cell]
    if "DFF" in cell:
        enable = "DFFE" in cell or "SDFFCE" in cell
        sync_reset = cell.startswith("$_SDFF")
        return FLOP_GE + FLOP_EXTRA_GE * (enable + sync_reset)
    return 0.0  # $mem_v2 and anything unmapped: counted apart


def hierarchy_totals(stat_text):
    """Cell counts of the flattened design from yosys' `design hierarchy` section."""
    section = stat_text.split("=== design hierarchy ===")[-1]
    counts = {}
    for m in re.finditer(r"^\s+(\$\S+)\s+(\d+)\s*$", section, re.MULTILINE):
        counts[m.group(1)] = int(m.group(2))
    return counts


def memory_bits(netlist):
    """Bits of every $mem_v2 cell times its module's instance count."""
    mods = netlist["modules"]
    top = next(n for n, m in mods.items() if m.get("attributes", {}).get("top"))

    def bits(name):
        total = 0
        for cell in mods[name]["cells"].values():
            if cell["type"] == "$mem_v2":
                p = cell["parameters"]
                total += int(p["WIDTH"], 2) * int(p["SIZE"], 2)
            elif cell["type"] in mods:
                total += bits(cell["type"])
        return total
    return bits(top)


def synth(block, top, pnames, fixed, pset):
    params = {k: PARAM_SETS[pset][k] for k in pnames}
    params.update(fixed)
    work = OUT / "synth" / f"{block}-{pset}"
    work.mkdir(parents=True, exist_ok=True)
    sources = " ".join(str(p) for p in sorted((REPO / "rtl").glob("*.v")))
    chparam = " ".join(f"-set {k} {v}" for k, v in params.items())
    script = (f"read_verilog -sv {sources}; chparam {chparam} {top}; "
              + FLOW.format(top=top, stat=work / "stat.txt", json=work / "netlist.json"))
    t0 = time.monotonic()
    proc = subprocess.run(["yosys", "-q", "-p", script], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"yosys failed on {block}/{pset}: {proc.stderr.strip().splitlines()[-1:]}")
    counts = hierarchy_totals((work / "stat.txt").read_text())
    mem = memory_bits(json.loads((work / "netlist.json").read_text()))
    (work / "netlist.json").unlink()  # large; the stat file stays
    return {
        "params": params,
        "cells_by_type": counts,
        "cells": sum(n for c, n in counts.items() if c != "$mem_v2"),
        "flops": sum(n for c, n in counts.items() if "DFF" in c),
        "gate_equivalents": round(sum(weight(c) * n for c, n in counts.items()), 1),
        "memory_bits": mem,
        "synth_seconds": round(time.monotonic() - t0, 1),
    }


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    psets = sys.argv[1:] or ["fast", "paper"]
    result = {"weights_nand2_ge": {**GE, "flop": FLOP_GE, "flop_enable_or_reset": FLOP_EXTRA_GE}}
    for pset in psets:
        res = {}
        for block, top, pnames, fixed in BLOCKS:
            res[block] = synth(block, top, pnames, fixed, pset)
            r = res[block]
            print(f"{pset:6s} {block:20s} cells {r['cells']:8d}  GE {r['gate_equivalents']:11.1f}  "
                  f"flops {r['flops']:7d}  memory bits {r['memory_bits']:9d}  ({r['synth_seconds']} s)", flush=True)
        p = PARAM_SETS[pset]
        i4, vsq, full = (res[b]["gate_equivalents"] for b in ("lane_int4", "lane_int4_vsq", "lane_int4_int8_vsq"))
        res["derived"] = {
            "vsq_overhead_pct_over_int4": round(100 * (vsq - i4) / i4, 2),
            "int8_overhead_pct_over_int4_vsq": round(100 * (full - vsq) / vsq, 2),
            "engine_ge_per_int4_mac_per_cycle": round(res["engine"]["gate_equivalents"] / (p["LANES"] * p["VEC"]), 2),
            "lane_ge_per_int4_mac_per_cycle": round(full / p["VEC"], 2),
        }
        print(f"{pset}: {res['derived']}")
        result[pset] = res
    (OUT / "cells.json").write_text(json.dumps(result, indent=1))
    print(f"bench: {OUT / 'cells.json'}")


if __name__ == "__main__":
    main()
