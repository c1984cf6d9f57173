"""python -m tools.mutate [--mutants N] [--modules a,b] [--seed S] [--depth own|smoke|nightly]
    [--sim icarus|verilator] [--jobs N] [--launcher local|slurm] [--out DIR] [--no-equiv]
    [--retest-survivors]

A mutation campaign (`make mutate`, docs/mutation.md): mutants of the modules
in rtl/ (tools/mutate/mutants.py), each run through the tests of the benches
that exercise its module, tier by tier (tools/mutate/plan.py), one launcher
task per mutant (tools/regress/launcher.py: the local pool or Slurm). First
the original RTL runs the smoke tier's jobs (a job failing on the original
could not tell a mutant apart; its time sets the mutants' timeouts). Every
mutant's result is kept in DIR/mutants/<id>/result.json: an interrupted
campaign continues where it stopped. Survivors get a yosys equivalence check
(tools/mutate/equiv.py) and are matched against regressions/mutation_survivors.yaml;
DIR/summary.json and DIR/report.html follow (tools/mutate/report.py).
Exit 0 when the campaign ran, 2 on a bad request, 130 when interrupted.
"""

import argparse
import hashlib
import json
import shlex
import signal
import sys
import time
from pathlib import Path

from tb.common.testbench import REPO
from tools.mutate import equiv, mutants as M, report, survivors
from tools.mutate.plan import TIERS, Planner
from tools.regress.launcher import LaunchError, LocalLauncher, Task

RTL = REPO / "rtl"


def _args(argv):
    ap = argparse.ArgumentParser(prog="python -m tools.mutate")
    ap.add_argument("--mutants", type=int, default=300)
    ap.add_argument("--modules", default="", help="comma-separated module names (default: every file in rtl/)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--depth", choices=TIERS, default="nightly", help="the last tier a survivor runs")
    ap.add_argument("--sim", choices=("icarus", "verilator"), default="icarus")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--launcher", choices=("local", "slurm"), default="local")
    ap.add_argument("--partition")
    ap.add_argument("--account")
    ap.add_argument("--slurm-args", default="")
    ap.add_argument("--out", help="campaign directory (default build/mutate)")
    ap.add_argument("--no-equiv", action="store_true", help="skip the equivalence check of survivors")
    ap.add_argument("--retest-survivors", action="store_true",
                    help="run the kept survivors again (after adding tests or checks)")
    return ap.parse_args(argv)


def select(modules):
    files = {p.stem: p for p in sorted(RTL.glob("*.v"))}
    if not modules:
        return files
    names = [m.strip() for m in modules.split(",") if m.strip()]
    unknown = [m for m in names if m not in files]
    if unknown:
        raise ValueError(f"unknown module {', '.join(unknown)} (known: {', '.join(files)})")
    return {m: files[m] for m in names}


def _launcher(args, out):
    if args.launcher == "slurm":
        from tools.regress.launcher_slurm import SlurmLauncher
        return SlurmLauncher(out / "slurm", name="mutate", partition=args.partition, account=args.account,
                             extra=shlex.split(args.slurm_args))
    return LocalLauncher(args.jobs)


def _task(d, spec, timeout):
    d.mkdir(parents=True, exist_ok=True)
    (d / "mutant.json").write_text(json.dumps(spec, indent=1))
    return Task(spec["id"], [sys.executable, "-m", "tools.mutate.job", str(d)], str(d), timeout)


def _done(d, ident):
    try:
        r = json.loads((d / "result.json").read_text())
    except (OSError, ValueError):
        return None
    return r if r.get("id") == ident else None


def baseline(launcher, out, plans, sim):
    """Runs the original RTL through the smoke tier of every plan, one task per bench;
    returns ({test: seconds}, {job name: message} of jobs failing on the original)."""
    digest = hashlib.sha1("".join(p.read_text() for p in sorted(RTL.glob("*"))).encode()).hexdigest()[:10]
    per_bench = {}
    for plan in plans.values():
        for j in plan:
            if j.tier in ("own", "smoke"):
                per_bench.setdefault(j.bench, {})[j.name] = j
    tasks, dirs = [], {}
    for bench, jobs in sorted(per_bench.items()):
        key = hashlib.sha1(f"{digest}{sim}{sorted(jobs)}".encode()).hexdigest()[:10]
        ident = f"original-{bench}-{key}"
        d = out / "baseline" / ident
        dirs[ident] = d
        if _done(d, ident) is None:
            spec = {"id": ident, "mutant": None, "sim": sim, "keep_going": True,
                    "plan": [j.to_json() for j in jobs.values()]}
            tasks.append(_task(d, spec, sum(j.timeout for j in jobs.values()) + 900))
    if tasks:
        print(f"mutate: the original RTL first: {sum(len(j) for j in per_bench.values())} jobs "
              f"on {', '.join(sorted(per_bench))}", flush=True)
        for o in launcher.run(tasks):
            print(f"  original {o.key}: {o.seconds:.0f} s", flush=True)
    seconds, broken = {}, {}
    for ident, d in dirs.items():
        r = _done(d, ident) or {"tests_run": []}
        for t in r["tests_run"]:
            test = t["name"].rsplit(".s", 1)[0]
            seconds[test] = max(seconds.get(test, 0.0), t["seconds"])
            if not t["passed"]:
                broken[t["name"]] = t.get("message", "failed")
    return seconds, broken


def timeout_for(job, seconds):
    """A job's wall-clock limit on a mutant: 5x its time on the original, at least 60 s."""
    base = seconds.get(job.test)
    return job.timeout if base is None else int(min(job.timeout, max(60, 5 * base + 20)))


def ordered(plan, seconds):
    """Tier by tier; within a tier bench by bench (one batch each), the quickest
    bench and the quickest jobs first: a kill comes sooner."""
    est = lambda j: seconds.get(j.test, 1e9)  # noqa: E731
    total = {}
    for j in plan:
        total[(j.tier, j.bench)] = total.get((j.tier, j.bench), 0.0) + est(j)
    return sorted(plan, key=lambda j: (TIERS.index(j.tier), total[(j.tier, j.bench)], j.bench, est(j)))


def _stop(signum, frame):
    raise KeyboardInterrupt


def main(argv=None):
    args = _args(argv)
    # SIGTERM (and SIGINT, ignored in a background job) stop the campaign the
    # way Ctrl-C does: the launcher ends its running mutants, the kept results stay.
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        files = select(args.modules)
        if args.mutants < 1:
            raise ValueError("--mutants must be at least 1")
        planner = Planner(args.sim, args.seed, args.depth)
    except ValueError as exc:
        print(f"mutate: {exc}", file=sys.stderr)
        return 2
    out = Path(args.out).resolve() if args.out else REPO / "build" / "mutate"
    out.mkdir(parents=True, exist_ok=True)
    texts = {m: p.read_text() for m, p in files.items()}
    candidates = {m: M.generate(p.name, texts[m]) for m, p in files.items()}
    plans = {m: planner.plan(p.name) for m, p in files.items()}
    untested = sorted(m for m, pl in plans.items() if not pl)
    sizes = {m: M.code_lines(texts[m]) for m in files if plans[m]}
    picked = M.sample(candidates, sizes, args.mutants, args.seed)
    start = time.monotonic()
    try:
        launcher = _launcher(args, out)
        seconds, broken = baseline(launcher, out, plans, args.sim)
        for name, msg in sorted(broken.items()):
            print(f"mutate: {name} fails on the original RTL ({msg}); left out of every mutant's plan")
        tasks = []
        for mu in picked:
            d = out / "mutants" / mu.id
            kept = _done(d, mu.id)
            # A survivor of a shallower campaign runs again to this depth; a kill is a kill.
            shallow = kept is not None and kept["status"] == "survived" and \
                TIERS.index(kept.get("depth") or "own") < TIERS.index(args.depth)
            if kept is not None and not shallow and not (args.retest_survivors and kept["status"] == "survived"):
                continue
            plan = ordered([j for j in plans[mu.module] if j.name not in broken], seconds)
            spec = {"id": mu.id, "mutant": mu.to_json(), "sim": args.sim, "depth": args.depth,
                    "equiv": not args.no_equiv,
                    "plan": [{**j.to_json(), "timeout": timeout_for(j, seconds)} for j in plan]}
            tasks.append(_task(d, spec, sum(s["timeout"] for s in spec["plan"]) + 900))
        print(f"mutate: {len(picked)} mutants of {len(sizes)} modules (seed {args.seed}, depth {args.depth}), "
              f"{len(picked) - len(tasks)} already done, {len(tasks)} to run, into {out}", flush=True)
        for k, o in enumerate(launcher.run(tasks), 1):
            r = _done(Path(out / "mutants" / o.key), o.key) or {"status": "lost", "message": o.reason}
            print(f"  [{k}/{len(tasks)}] {r['status']:9s} {o.key} ({o.seconds:.0f} s) {r.get('message', '')[:100]}",
                  flush=True)
    except LaunchError as exc:
        print(f"mutate: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("mutate: interrupted; the finished mutants are kept (run again to continue)", file=sys.stderr)
        return 130
    results = {}
    for mu in picked:
        r = _done(out / "mutants" / mu.id, mu.id)
        if r is not None:
            results[mu.id] = r
            if r["status"] == "survived" and not args.no_equiv:
                r["proof"] = _proof(out / "mutants" / mu.id, mu)
    try:
        accepted = survivors.load_and_match(picked, results)
    except survivors.SurvivorsError as exc:  # the campaign is reported regardless
        print(f"mutate: {exc}; no survivor accepted", file=sys.stderr)
        accepted = ({}, [])
    summary = report.write(out, picked, results, accepted, plans, untested, args,
                           wall=time.monotonic() - start)
    print(report.console(summary))
    return 0


def _proof(d, mu):
    """The equivalence check of a survivor, kept next to its result."""
    f = d / "equiv.json"
    if f.exists():
        return json.loads(f.read_text())
    r = json.loads((d / "result.json").read_text())
    proof = r.get("proof")  # checked by the job before the nightly tier
    if proof is None:
        proof = equiv.proof(mu)
    f.write_text(json.dumps(proof, indent=1))
    print(f"  equivalence {mu.id}: {proof['result']} ({proof['detail']})", flush=True)
    return proof


if __name__ == "__main__":
    sys.exit(main())
