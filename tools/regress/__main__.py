"""python -m tools.regress --regression NAME [--sim S] [--jobs N] [--seeds N] [--seed BASE]

Builds once per (bench, simulator, parameters, coverage), runs every
(test, seed) in its own directory through the launcher, then merges results
and coverage into build/regress/<name>/ (summary.json, junit.xml,
report.html). Exit 0 when every job passed, 1 when any failed, 2 on a bad
request, 130 when interrupted (results so far are still reported).
"""

import argparse
import sys
import time
from pathlib import Path

from tb.common.testbench import REPO, RTL_DIR
from tools.regress import coverage, report, results, spec
from tools.regress.launcher import LocalLauncher, Task


def job_dir(out, job):
    return out / "jobs" / job.name


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m tools.regress")
    ap.add_argument("--regression", default="smoke")
    ap.add_argument("--sim", help="only this simulator (icarus or verilator)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seeds", type=int, help="seeds per entry, overriding the list")
    ap.add_argument("--seed", type=int, help="base seed: the same base gives the same job seeds")
    args = ap.parse_args(argv)
    try:
        data = spec.load(args.regression)
        sims = [args.sim] if args.sim else None
        if args.sim and args.sim not in ("icarus", "verilator"):
            raise spec.SpecError(f"unknown simulator '{args.sim}' (known: icarus, verilator)")
        jobs = spec.expand(data, sims=sims, seeds=args.seeds, base_seed=args.seed)
    except spec.SpecError as exc:
        print(f"regress: {exc}", file=sys.stderr)
        return 2
    if not jobs:
        print("regress: the regression has no jobs for that selection", file=sys.stderr)
        return 2

    out = REPO / "build" / "regress" / args.regression
    out.mkdir(parents=True, exist_ok=True)
    py = sys.executable
    launcher = LocalLauncher(args.jobs)
    start = time.monotonic()
    print(f"regress: {args.regression}: {len(jobs)} jobs, {args.jobs} at a time, into {out}")

    # 1. Builds, once per key; a failed build fails its jobs with the build's message.
    builds = {j.build_key: j for j in jobs}
    build_tasks = []
    for (bench, sim, pset, cov), _ in builds.items():
        argv = [py, "-m", "tb.sim", "--build-only", bench, "--sim", sim, "--params", pset]
        if cov:
            argv.append("--coverage")
        build_tasks.append(Task(f"{bench}.{sim}.{pset}.{int(cov)}", argv,
                                str(out / "builds" / f"{bench}.{sim}.{pset}{'.cov' if cov else ''}"), 3600))
    failed_builds = {}
    all_results = []
    interrupted = False
    try:
        for o in launcher.run(build_tasks):
            if o.returncode != 0:
                log = Path(next(t.directory for t in build_tasks if t.key == o.key)) / "job.log"
                failed_builds[o.key] = results.first_error(log)
                print(f"  BUILD FAIL {o.key}: {failed_builds[o.key]}")
        # 2. Runs.
        by_key = {}
        tasks = []
        for j in jobs:
            key = f"{j.bench}.{j.sim}.{j.params}.{int(j.coverage)}"
            d = job_dir(out, j)
            if key in failed_builds:
                d.mkdir(parents=True, exist_ok=True)
                (d / "job.log").write_text(f"build failed: {failed_builds[key]}\n")
                o = type("O", (), {"timed_out": False, "returncode": 1, "seconds": 0.0})()
                all_results.append(results.collect(j, d, o))
                continue
            argv = [py, "-m", "tb.sim", "--test", j.test, "--sim", j.sim, "--seed", str(j.seed),
                    "--params", j.params, "--out", str(d)] + (["--coverage"] if j.coverage else [])
            by_key[j.name] = j
            tasks.append(Task(j.name, argv, str(d), j.timeout))
        done = 0
        for o in launcher.run(tasks):
            j = by_key[o.key]
            r = results.collect(j, job_dir(out, j), o)
            all_results.append(r)
            done += 1
            mark = "ok  " if r.status == "pass" else r.status.upper()
            print(f"  [{done}/{len(tasks)}] {mark} {j.name} ({r.seconds:.0f} s)", flush=True)
    except KeyboardInterrupt:
        interrupted = True
        print("regress: interrupted; reporting the jobs that finished", file=sys.stderr)

    wall = time.monotonic() - start
    return finish(out, args.regression, all_results, wall, interrupted)


def finish(out, name, all_results, wall, interrupted):
    passing = [r for r in all_results if r.status == "pass"]
    fdb = coverage.merge_functional(
        [Path(r.directory) / "coverage.yml" for r in passing if (Path(r.directory) / "coverage.yml").exists()])
    groups, overall = coverage.functional_summary(fdb)
    code = coverage.merge_code([Path(r.directory) / "coverage.dat" for r in passing],
                               out / "code_coverage", RTL_DIR)
    code_html = "code_coverage/html/index.html" if (out / "code_coverage" / "html" / "index.html").exists() else None
    bks = results.buckets(all_results)
    results.merge_junit(all_results, out / "junit.xml")
    summary = report.write_summary(out / "summary.json", name, all_results, wall, code, overall, groups, bks)
    report.write_html(out / "report.html", summary, all_results, bks, groups, code_html)

    # Console summary: per test and simulator, then buckets with repro lines.
    print(f"\n{'test':40s} {'sim':10s} passed")
    for (test, sim), (ok, n) in sorted(report.per_test(all_results).items()):
        print(f"{test:40s} {sim:10s} {ok}/{n}{'' if ok == n else '  FAIL'}")
    for msg, rs in bks:
        print(f"\nbucket ({len(rs)}): {msg}")
        for r in rs[:10]:
            print(f"  reproduce: {r.repro}\n  log: {r.log}")
    cov = lambda v: "n/a" if v is None else f"{v:.1f}%"
    print(f"\ncoverage: line {cov(code['line'])}, branch {cov(code['branch'])}, toggle {cov(code['toggle'])}, "
          f"functional {cov(overall)}")
    print(f"report: {out / 'report.html'}\nsummary: {out / 'summary.json'}")
    print(f"{summary['passed']} passed, {summary['failed']} failed")
    if interrupted:
        return 130
    return 0 if summary["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
