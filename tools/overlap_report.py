"""Predicted utilization of the overlap options of issue 15 (a model, no
simulator: tools/overlap_model.py), on the bench's BERT-base and MiniLM-L6
workloads (tools/bench_workloads.py), and its calibration against today's
`make bench` (docs/overlap-design.md has the results and the decision).

Scenarios per option:
- per class: the `count` GEMMs of one shape of a layer (4 projections, 12
  QK^T heads, ...), their tiles back to back, from an empty top;
- layer: every GEMM of the layer back to back in the bench's order, no data
  dependences (the bench's `utilization_layers` extended to a chain);
- layer_dep: the order a driver runs a layer in (Q, K, V projections; QK^T
  and P.V heads interleaved; output projection; FC1; FC2), each consumer's
  activations loaded only once the producing GEMM's last word is out, plus
  the host's reaction time.

    python -m tools.overlap_report [--json OUT] [--calibrate BENCH_JSON] [--snapshot BENCH_JSON]

--calibrate compares option "today" with a bench result (default
build/bench/top_utilization.json, else the committed reference
tests/bench/data/top_util_reference.json); --snapshot rewrites that
reference from a bench result.
"""

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from models.contract import PARAM_SETS  # noqa: E402
from tools.bench_workloads import MODELS, SEQ_LENS, all_plans, plan_tile_keys  # noqa: E402
from tools.overlap_model import Job, Option, jobs_of, tile_record, utilization  # noqa: E402

REFERENCE = REPO / "tests" / "bench" / "data" / "top_util_reference.json"
BENCH_JSON = REPO / "build" / "bench" / "top_utilization.json"
OVERLAP = ("T", "A", "B")   # the table first: it is small and must be complete at start
FULL = dict(queue=2, drain_overlap=True, tail_overlap=True, skid=True, load_order=OVERLAP)

OPTIONS = {
    "today": Option(),
    # the queue alone: loads still wait for the previous GEMM (single buffers)
    "queue_only": Option("queue_only", queue=2, drain_overlap=True),
    # (a) double-buffered A/B/table banks: a GEMM starts when its bank is loaded
    "pingpong": Option("pingpong", storage="pingpong", queue=2, load_order=OVERLAP),
    "pingpong_full": Option("pingpong_full", storage="pingpong", **FULL),
    # (b) buffets: one capacity, circular regions
    "buffets_end": Option("buffets_end", storage="circular", release="end", queue=2, load_order=OVERLAP),
    "buffets_end_credit": Option("buffets_end_credit", storage="circular", release="end", read="credit",
                                 **FULL),
    "buffets_chunk": Option("buffets_chunk", storage="circular", release="chunk", queue=2, load_order=OVERLAP),
    "buffets_full": Option("buffets_full", storage="circular", release="chunk", read="credit", **FULL),
    # (c) variants of the chosen mechanism: tail / drain / skid removed one at a time
    "buffets_no_tail": Option("buffets_no_tail", storage="circular", release="chunk", read="credit",
                              **{**FULL, "tail_overlap": False}),
    "buffets_no_skid": Option("buffets_no_skid", storage="circular", release="chunk", read="credit",
                              **{**FULL, "skid": False}),
    "buffets_no_drain": Option("buffets_no_drain", storage="circular", release="chunk", read="credit",
                               **{**FULL, "drain_overlap": False, "tail_overlap": False}),
}
# Host sensitivity of the chosen option: queue depth x reaction time (cycles) x writes per descriptor.
HOST_SWEEP = [(d, r, w) for d in (1, 2, 4) for r in (0, 200, 1000, 3000) for w in (0, 11)]


def plans_of(params, model, seq):
    return {p.kind: p for p in all_plans(params, models=[model], seqs=[seq])}


def layer_jobs(plans):
    """Every GEMM of the layer in the bench's order (KINDS, each count times)."""
    return [j for p in plans.values() for j in jobs_of(p)]


def layer_dep_jobs(plans, host_react):
    """The dependent order of one layer; each consumer's activation loads wait for its producer."""
    jobs, ends = [], {}

    def add(kind, tag, after=None, ops=()):
        new = jobs_of(plans[kind], 1)
        if after is not None:
            new[0].barrier, new[0].barrier_ops = ends[after], ops
        jobs.extend(new)
        ends[tag] = len(jobs) - 1

    for t in ("q", "k", "v"):
        add("proj", t)
    heads = plans["qk"].count
    add("qk", "qk0", "k", ("A", "B"))
    for h in range(heads):
        if h + 1 < heads:
            add("qk", f"qk{h + 1}")
        add("pv", f"pv{h}", f"qk{h}", ("B",))
    add("proj", "o", f"pv{heads - 1}", ("B",))
    add("fc1", "fc1", "o", ("B",))
    add("fc2", "fc2", "fc1", ("B",))
    return jobs


def predict(params, opt):
    """{model.sSEQ: {kind: util, 'layer': util, 'layer_dep': util}} for one option."""
    res = {}
    for model in MODELS:
        for seq in SEQ_LENS:
            plans = plans_of(params, model, seq)
            if any(p.infeasible for p in plans.values()):
                continue
            r = {k: utilization(jobs_of(p), params, opt) for k, p in plans.items()}
            r["layer"] = utilization(layer_jobs(plans), params, opt)
            dep_opt = opt if opt.queue else replace(opt, queue=0)
            r["layer_dep"] = utilization(layer_dep_jobs(plans, opt.host_react), params, dep_opt)
            res[f"{model}.s{seq}"] = r
    return res


def calibrate(params, bench):
    """Option "today" against a bench result: per tile class (cycles) and per shape and layer (points)."""
    plans = {p.name: p for p in all_plans(params)}
    tiles = {}
    for p in plans.values():
        for key, t, _ in plan_tile_keys(p):
            if key in bench["tiles"]:
                m, meas = tile_record(p, t, params), bench["tiles"][key]
                tiles[key] = {f: (m[f], meas[f]) for f in ("cyc_total", "cyc_mac", "window_cycles")}
    shapes, today = {}, OPTIONS["today"]
    for name, meas in bench["utilization"].items():
        if meas.get("steady") is None:
            continue
        u = utilization(jobs_of(plans[name], 1), params, today)
        shapes[name] = {f: (u[f], _serial(meas, f)) for f in ("steady", "end_to_end")}
    for name, meas in bench["layers"].items():
        model, seq, _ = name.split(".")
        u = utilization(layer_jobs(plans_of(params, model, int(seq[1:]))), params, today)
        shapes[name] = {f: (u[f], _serial(meas, f)) for f in ("steady", "end_to_end")}
    worst = max(abs(a - b) for v in shapes.values() for a, b in v.values())
    return {"tiles": tiles, "shapes": shapes, "max_error_points": 100 * worst}


def _serial(meas, f):
    """A bench figure without overlap (the model's "today"): bench/top_utilization.py keeps the
    end-to-end of the non-overlapped run as `end_to_end_serial` since the banks and the queue."""
    return meas.get(f"{f}_serial", meas[f])


def snapshot(bench_path):
    """The reference the model's tests compare with: a bench result's per-class and per-shape figures."""
    b = json.loads(Path(bench_path).read_text())
    keep = ("cyc_total", "cyc_mac", "window_cycles", "load_cycles", "start_cycles")
    ref = {"source": f"measured by `make bench` (bench/top_utilization.py, {b['sim']}, {b['param_set']}), "
                     f"written by `python -m tools.overlap_report --snapshot`; the issue-15 table's figures",
           "param_set": b["param_set"],
           "tiles": {k: {f: t[f] for f in keep} for k, t in b["tiles"].items()},
           "utilization": {k: {f: (_serial(u, f) if u.get(f) is not None else None) for f in ("steady", "end_to_end")}
                           for k, u in b["utilization"].items()},
           "layers": {k: {f: _serial(u, f) for f in ("steady", "end_to_end")} for k, u in b["layers"].items()}}
    REFERENCE.parent.mkdir(parents=True, exist_ok=True)
    REFERENCE.write_text(json.dumps(ref, indent=1) + "\n")
    return REFERENCE


def _pct(x):
    return f"{100 * x:5.1f}"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--params", default="paper")
    ap.add_argument("--json", default=str(REPO / "build" / "bench" / "overlap_model.json"))
    ap.add_argument("--calibrate", nargs="?", const="", default=None, metavar="BENCH_JSON")
    ap.add_argument("--snapshot", metavar="BENCH_JSON")
    ap.add_argument("--options", default=",".join(OPTIONS))
    args = ap.parse_args(argv)
    params = PARAM_SETS[args.params]
    if args.snapshot:
        print(f"wrote {snapshot(args.snapshot).relative_to(REPO)}")
        return 0
    out = {"params": params}
    if args.calibrate is not None:
        path = Path(args.calibrate) if args.calibrate else (BENCH_JSON if BENCH_JSON.exists() else REFERENCE)
        if not path.exists():
            print(f"overlap_report: no bench result at {path}", file=sys.stderr)
            return 2
        cal = calibrate(params, json.loads(path.read_text()))
        out["calibration"] = cal
        print(f"calibration against {path}: max error {cal['max_error_points']:.3f} points")
        for name, v in cal["shapes"].items():
            print(f"  {name:28s} steady {_pct(v['steady'][0])} (bench {_pct(v['steady'][1])})  "
                  f"e2e {_pct(v['end_to_end'][0])} (bench {_pct(v['end_to_end'][1])})")
    out["options"] = {}
    for name in args.options.split(","):
        opt = OPTIONS[name]
        pred = predict(params, opt)
        out["options"][name] = {"option": opt.__dict__, "predicted": pred}
        print(f"\n{name}: e2e / steady (%) per class, layer, layer with dependences")
        for wl, r in pred.items():
            cells = "  ".join(f"{k} {_pct(v['end_to_end'])}/{_pct(v['steady'])}" for k, v in r.items()
                              if k != "layer_dep")
            print(f"  {wl:15s} {cells}  layer_dep {_pct(r['layer_dep']['end_to_end'])}")
    sweep = {}
    for d, r, w in HOST_SWEEP:
        opt = replace(OPTIONS["buffets_full"], queue=d, host_react=r, desc_writes=w)
        pred = predict(params, opt)
        sweep[f"q{d}-r{r}-w{w}"] = {wl: {k: v["end_to_end"] for k, v in x.items()} for wl, x in pred.items()}
    out["host_sweep"] = sweep
    print("\nhost sweep (buffets_full): queue depth, reaction cycles, writes/descriptor -> BERT-base e2e layer / qk")
    for k, v in sweep.items():
        b = [v[f"bert_base.s{s}"] for s in SEQ_LENS]
        print(f"  {k:14s} " + "  ".join(f"s{s}: layer {_pct(x['layer'])} qk {_pct(x['qk'])} dep {_pct(x['layer_dep'])}"
                                         for s, x in zip(SEQ_LENS, b)))
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(out, indent=1, default=str) + "\n")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
