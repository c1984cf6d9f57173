"""MAC utilization of transformer GEMMs through the whole top, loads and
result drains included (issue 7 item 1; a benchmark: nothing is asserted).

Runs two cocotb benchmarks (tb/top/tests/) under Verilator in the paper
configuration, on the tiled BERT-base and MiniLM-L6 GEMMs
(tools/bench_workloads.py), every GEMM checked by the scoreboard:
`top_util_bench` runs every distinct tile once, alone, as a host without
overlap runs it (loads, START, wait for the end); `top_overlap_bench` runs
every GEMM of a layer tile after tile through the banks and the descriptor
queue, as a driver with overlap runs it (docs/overlap-design.md).
Then, per shape (one GEMM):

- `steady`: useful MACs / (peak MACs of the mode × Σ CYC_TOTAL): the top's
  counters, from START to the last result word (pipeline fill and the
  result drain of the last tile included, loads excluded; top_util_bench,
  the plan's tiles counted by class);
- `end_to_end`: the same over the overlapped run's windows, each GEMM from
  the previous GEMM's last result word (the layer's first: its first
  operand beat) to its own last result word: loads, the host's register
  writes, compute and drain, as far as they are not hidden;
- `end_to_end_serial`: the same without overlap (top_util_bench: Σ tile
  windows, each from its first operand beat to its last result word, not
  counting the host's reaction time between tiles);
- `mac_active_*`: the same with CYC_MAC (padded MACs counted as work);
  they differ from the above only where K or M is padded;
- the cycle breakdown, the tile plan and the goal (steady >= 98 %), and
  per model and sequence length a layer total (shapes weighted by their
  count per layer).

Writes build/bench/top_utilization.json; prints the table.

    .venv/bin/python bench/top_utilization.py [--shapes PATTERNS] [--params paper] [--seed N]
"""

import argparse
import json
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tb.common.params import PARAM_SETS  # noqa: E402
from tb.sim import sim_env  # noqa: E402
from tools.bench_job import run_test_job  # noqa: E402
from models.contract import v_of  # noqa: E402
from tools.bench_report_tables import pct  # noqa: E402
from tools.bench_workloads import KINDS, aggregate, all_plans, select  # noqa: E402

OUT = REPO / "build" / "bench"
TEST = "top_util_bench"
OVERLAP_TEST = "top_overlap_bench"
GOAL = 0.98
SERIAL_KEYS = ("end_to_end", "mac_active_end_to_end", "cycles_end_to_end")




def why_missed(r, plan, params):
    """What keeps a shape below the goal (the dominant losses), in words."""
    reasons = []
    if r["useful_fraction"] < 1:
        alt = ""
        if plan.kind == "qk" and plan.mode != "int8":
            alt = (f" (int8 mode, V = {params['VEC'] // 2}, would not pad, but its peak is half the INT4 one: "
                   f"the same useful MACs per cycle)")
        reasons.append(f"padding: K = {plan.K} is padded to V = {plan.Kp}, so {1 - r['useful_fraction']:.0%} of "
                       f"the MACs do no useful work{alt}")
    if r["mac_active_steady"] < GOAL:
        tail = r["cyc_total"] - r["cyc_mac"]
        if plan.out_mode == "softmax":
            ad, wv = params["ACC_DEPTH"], params["VEC"] // 2
            pass2 = sum(t.m * ad // wv for t in plan.tiles)
            bounds = sum(t.n // ad - 1 for t in plan.tiles)
            reasons.append(
                f"{tail} non-MAC cycles after START ({tail / r['cyc_total']:.1%}): the softmax epilogue, pass 2 "
                f"of the last n-tile (M·ACC_DEPTH/(VEC/2) = {pass2} cycles), which can only start once its "
                f"columns are complete, plus about 3 stall cycles at each of the {bounds} n-tile boundaries and "
                f"the pipeline fill (docs/rtl-ppu.md). With K/V = {plan.Kp // v_of(plan.mode, params)} "
                f"the GEMM has only {r['cyc_mac']} MAC cycles to hide it behind")
        else:
            reasons.append(f"{tail} non-MAC cycles after START over {r['tiles']} tiles: pipeline fill and the "
                           f"drain of each tile's last results")
    return "; ".join(reasons)


def why_end_to_end(r, plan, params):
    """What end-to-end (overlapped) loses against steady state, in words."""
    gap = r["mac_active_steady"] - r["mac_active_end_to_end"]
    serial = (f"without overlap {pct(r['mac_active_end_to_end_serial'])} "
              f"({why_serial(r, plan, params)})")
    if gap <= 0.005:
        return (f"within {pct(max(gap, 0))} of steady state: the loads and the host's register writes are hidden "
                f"behind the previous tile's compute; {serial}")
    return (f"{pct(gap)} below steady state over {r['gemms']} GEMMs chained in the layer: what the loads and "
            f"register writes add where a tile's loads take longer than the compute they hide behind; {serial}")


def why_serial(r, plan, params):
    """The largest loss between steady state and end-to-end without overlap, in words."""
    br, total = r["breakdown_cycles"], r["cycles_end_to_end_serial"]
    lanes = params["LANES"]
    kv = plan.Kp // v_of(plan.mode, params)
    loads = {d: br["load_" + d] for d in "ABT"}
    head = f"loads take {sum(loads.values()) / total:.0%} of the serial end-to-end cycles"
    if len(plan.tiles) == 1:
        t = plan.tiles[0]
        return (f"{head}; a single tile loads A ({t.m}×{kv} words), B ({t.n}×{kv} words) and {t.m} g/bias rows "
                f"for only {r['cyc_mac']} MAC cycles (K/V = {kv})")
    d = max(loads, key=loads.get)
    t = plan.tiles[-1]
    reloads = sum(d in x.loads for x in plan.tiles)
    if d == "A":
        rel = f"{reloads} of {len(plan.tiles)} tiles reload A ({t.m}×{kv} words)"
        bound = f", LANES/N_t = {lanes}/{t.n} of a tile's MAC cycles"
    elif d == "B":
        rel = f"{reloads} of {len(plan.tiles)} tiles reload B ({t.n}×{kv} words)"
        bound = f", LANES/M_t = {lanes}/{t.m} of a tile's MAC cycles"
    else:
        rel, bound = "the g/bias table (one row per cycle)", ""
    return f"{head}; the largest, {loads[d] / total:.0%}: {rel}{bound}"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shapes", default="", help="comma-separated fnmatch patterns of shape names (default all)")
    ap.add_argument("--params", default="paper")
    ap.add_argument("--sim", default="verilator")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)

    out_dir = OUT / "top_util" / f"{args.sim}-{args.params}"
    env = sim_env()
    env["VSQ_BENCH_SHAPES"] = args.shapes
    proc, job_s, raw = run_test_job(TEST, args.sim, args.params, args.seed, out_dir, env)
    if raw is None:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        print(f"top_utilization: {TEST} failed (exit {proc.returncode}); see {out_dir / 'sim.log'}", file=sys.stderr)
        return 1
    ov_dir = OUT / "top_overlap" / f"{args.sim}-{args.params}"
    proc, ov_s, overlap = run_test_job(OVERLAP_TEST, args.sim, args.params, args.seed, ov_dir, env)
    if overlap is None:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        print(f"top_utilization: {OVERLAP_TEST} failed (exit {proc.returncode}); see {ov_dir / 'sim.log'}",
              file=sys.stderr)
        return 1
    params = PARAM_SETS[args.params]
    plans = select(all_plans(params), args.shapes)

    util, layers = {}, {}
    for p in plans:
        r = aggregate(p, raw["tiles"])
        if "infeasible" in r:
            util[p.name] = {"steady": None, "end_to_end": None, "infeasible": r["infeasible"]}
            continue
        for k in SERIAL_KEYS:
            r[k + "_serial"] = r.pop(k)
        ov = overlap["plans"][p.name]
        r["gemms"] = ov["gemms"]
        r["cycles_end_to_end"] = ov["window_cycles"] / ov["gemms"]  # per GEMM, chained in the layer
        r["mac_active_end_to_end"] = ov["cyc_mac"] / ov["window_cycles"]
        r["end_to_end"] = r["useful_fraction"] * r["mac_active_end_to_end"]
        r.update(model=p.model, seq=p.seq, kind=p.kind, count_per_layer=p.count, M=p.M, N=p.N, K=p.K,
                 mode=p.mode, out_mode=p.out_mode, order=p.order, padded={"M": p.Mp, "N": p.Np, "K": p.Kp},
                 goal_met=r["steady"] >= GOAL)
        r["why_below_goal"] = why_missed(r, p, params) if not r["goal_met"] else ""
        r["why_end_to_end"] = why_end_to_end(r, p, params)
        util[p.name] = r
        lay = layers.setdefault(f"{p.model}.s{p.seq}.layer", {"useful_cycles": 0, "cyc_mac": 0, "cyc_total": 0,
                                                                "cycles_end_to_end": 0, "cycles_end_to_end_serial": 0,
                                                                "shapes": 0})
        lay["useful_cycles"] += p.count * r["cyc_mac"] * r["useful_fraction"]
        for k in ("cyc_mac", "cyc_total", "cycles_end_to_end", "cycles_end_to_end_serial"):
            lay[k] += p.count * r[k]
        lay["shapes"] += 1
    for name, lay in layers.items():
        lay["steady"] = lay["useful_cycles"] / lay["cyc_total"]
        lay["end_to_end"] = lay["useful_cycles"] / lay["cycles_end_to_end"]
        lay["mac_active_steady"] = lay["cyc_mac"] / lay["cyc_total"]
        lay["mac_active_end_to_end"] = lay["cyc_mac"] / lay["cycles_end_to_end"]
        lay["end_to_end_serial"] = lay["useful_cycles"] / lay["cycles_end_to_end_serial"]
    complete = [n for n, lay in layers.items() if lay["shapes"] == len(KINDS)]

    result = {
        "goal_steady": GOAL, "paper_utilization": 0.98,
        "sim": args.sim, "param_set": args.params, "params": params, "seed": args.seed,
        "definition": {
            "steady": "useful MACs / (peak MACs of the mode x sum of CYC_TOTAL over the tiles): START to last "
                      "result word, loads excluded",
            "end_to_end": "useful MACs / (peak MACs of the mode x sum of GEMM windows) with overlap (two banks, "
                          "the descriptor queue): every GEMM of a layer chained, each window from the previous "
                          "GEMM's last result word (the layer's first: its first operand beat) to its own last "
                          "result word, the host's AXI4-Lite writes included",
            "end_to_end_serial": "the same without overlap: sum of tile windows, each from the first operand beat "
                                 "of the tile's loads to its last result word",
            "mac_active": "the same with CYC_MAC, i.e. padded MACs counted as work",
            "extrapolation": "steady and serial: each distinct tile class (shape, mode, out_mode, operands "
                             "reloaded) simulated once, every plan summed over its tiles by class counts; "
                             "end_to_end: every tile of every GEMM of the layer simulated (no extrapolation)",
        },
        "utilization": util,
        "layers": {n: layers[n] for n in complete},
        "goal_met_all": all(r.get("goal_met", False) for r in util.values()),
        "tiles": raw["tiles"], "validation": raw["validation"],
        "simulated_cycles": sum(t["window_cycles"] for t in raw["tiles"].values()),
        "simulated_cycles_overlap": sum(p["window_cycles"] for p in overlap["plans"].values()),
        "overlap_job_s": ov_s,
        "job_s": job_s, "test_wall_s": raw.get("wall_s"), "cores": os.cpu_count(),
        "load_average_1min": os.getloadavg()[0],
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "top_utilization.json").write_text(json.dumps(result, indent=1) + "\n")

    print("| shape | M×N×K | mode → out | tiles | steady | end-to-end | serial | goal |")
    print("|---|---|---|---|---|---|---|---|")
    for name, r in util.items():
        if r.get("steady") is None:
            print(f"| {name} | | | | - | - | infeasible: {r['infeasible']} |")
            continue
        print(f"| {name} | {r['M']}×{r['N']}×{r['K']} | {r['mode']} → {r['out_mode']} | {r['tiles']} | "
              f"{r['steady']:.2%} | {r['end_to_end']:.2%} | {r['end_to_end_serial']:.2%} | "
              f"{'met' if r['goal_met'] else 'missed'} |")
    for name in complete:
        lay = layers[name]
        print(f"| {name} | | | | {lay['steady']:.2%} | {lay['end_to_end']:.2%} | {lay['end_to_end_serial']:.2%} | |")
    v = raw.get("validation")
    if v:
        print(f"validation: {v['plan']}: {v['tiles']} tiles back to back {v['measured_cycles']} cycles, "
              f"extrapolated {v['extrapolated_cycles']} (per tile equal: {v['per_tile_equal']})")
    print(f"wrote {(OUT / 'top_utilization.json').relative_to(REPO)} ({job_s:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
