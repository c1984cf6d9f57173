"""MAC utilization of transformer GEMMs through the whole top, loads and
result drains included (issue 7 item 1; a benchmark: nothing is asserted).

Runs the cocotb benchmark `top_util_bench` (tb/top/tests/) under Verilator
in the paper configuration: every distinct tile of the tiled BERT-base and
MiniLM-L6 GEMMs (tools/bench_workloads.py), each run once through the AXI
streams and registers as a host runs it and checked by the scoreboard.
Then, per shape (one GEMM; the plan's tiles counted by class):

- `steady`: useful MACs / (peak MACs of the mode × Σ CYC_TOTAL): the top's
  counters, from START to the last result word (pipeline fill and the
  result drain of the last tile included, loads excluded);
- `end_to_end`: the same over Σ windows, each from the first operand beat
  of the tile's loads to its last result word (loads, the START write,
  compute and drain; not the host's reaction time between tiles);
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
from tools.bench_workloads import KINDS, aggregate, all_plans, select  # noqa: E402

OUT = REPO / "build" / "bench"
TEST = "top_util_bench"
GOAL = 0.98




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
    """The largest loss between steady state and end-to-end, in words."""
    br, total = r["breakdown_cycles"], r["cycles_end_to_end"]
    lanes = params["LANES"]
    kv = plan.Kp // v_of(plan.mode, params)
    loads = {d: br["load_" + d] for d in "ABT"}
    head = (f"loads take {sum(loads.values()) / total:.0%} of the end-to-end cycles (they cannot overlap a GEMM: "
            f"the top holds s_axis off while one runs)")
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
    params = PARAM_SETS[args.params]
    plans = select(all_plans(params), args.shapes)

    util, layers = {}, {}
    for p in plans:
        r = aggregate(p, raw["tiles"])
        if "infeasible" in r:
            util[p.name] = {"steady": None, "end_to_end": None, "infeasible": r["infeasible"]}
            continue
        r.update(model=p.model, seq=p.seq, kind=p.kind, count_per_layer=p.count, M=p.M, N=p.N, K=p.K,
                 mode=p.mode, out_mode=p.out_mode, order=p.order, padded={"M": p.Mp, "N": p.Np, "K": p.Kp},
                 goal_met=r["steady"] >= GOAL)
        r["why_below_goal"] = why_missed(r, p, params) if not r["goal_met"] else ""
        r["why_end_to_end"] = why_end_to_end(r, p, params)
        util[p.name] = r
        lay = layers.setdefault(f"{p.model}.s{p.seq}.layer", {"useful_cycles": 0, "cyc_mac": 0, "cyc_total": 0,
                                                                "cycles_end_to_end": 0, "shapes": 0})
        lay["useful_cycles"] += p.count * r["cyc_mac"] * r["useful_fraction"]
        for k in ("cyc_mac", "cyc_total", "cycles_end_to_end"):
            lay[k] += p.count * r[k]
        lay["shapes"] += 1
    for name, lay in layers.items():
        lay["steady"] = lay["useful_cycles"] / lay["cyc_total"]
        lay["end_to_end"] = lay["useful_cycles"] / lay["cycles_end_to_end"]
        lay["mac_active_steady"] = lay["cyc_mac"] / lay["cyc_total"]
        lay["mac_active_end_to_end"] = lay["cyc_mac"] / lay["cycles_end_to_end"]
    complete = [n for n, lay in layers.items() if lay["shapes"] == len(KINDS)]

    result = {
        "goal_steady": GOAL, "paper_utilization": 0.98,
        "sim": args.sim, "param_set": args.params, "params": params, "seed": args.seed,
        "definition": {
            "steady": "useful MACs / (peak MACs of the mode x sum of CYC_TOTAL over the tiles): START to last "
                      "result word, loads excluded",
            "end_to_end": "useful MACs / (peak MACs of the mode x sum of tile windows): first operand beat of "
                          "the tile's loads to its last result word",
            "mac_active": "the same with CYC_MAC, i.e. padded MACs counted as work",
            "extrapolation": "each distinct tile class (shape, mode, out_mode, operands reloaded) simulated once, "
                             "every plan summed over its tiles by class counts",
        },
        "utilization": util,
        "layers": {n: layers[n] for n in complete},
        "goal_met_all": all(r.get("goal_met", False) for r in util.values()),
        "tiles": raw["tiles"], "validation": raw["validation"],
        "simulated_cycles": sum(t["window_cycles"] for t in raw["tiles"].values()),
        "job_s": job_s, "test_wall_s": raw.get("wall_s"), "cores": os.cpu_count(),
        "load_average_1min": os.getloadavg()[0],
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "top_utilization.json").write_text(json.dumps(result, indent=1) + "\n")

    print("| shape | M×N×K | mode → out | tiles | steady | end-to-end | goal |")
    print("|---|---|---|---|---|---|---|")
    for name, r in util.items():
        if r.get("steady") is None:
            print(f"| {name} | | | | - | - | infeasible: {r['infeasible']} |")
            continue
        print(f"| {name} | {r['M']}×{r['N']}×{r['K']} | {r['mode']} → {r['out_mode']} | {r['tiles']} | "
              f"{r['steady']:.2%} | {r['end_to_end']:.2%} | {'met' if r['goal_met'] else 'missed'} |")
    for name in complete:
        lay = layers[name]
        print(f"| {name} | | | | {lay['steady']:.2%} | {lay['end_to_end']:.2%} | |")
    v = raw.get("validation")
    if v:
        print(f"validation: {v['plan']}: {v['tiles']} tiles back to back {v['measured_cycles']} cycles, "
              f"extrapolated {v['extrapolated_cycles']} (per tile equal: {v['per_tile_equal']})")
    print(f"wrote {(OUT / 'top_utilization.json').relative_to(REPO)} ({job_s:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
