"""python -m tools.regress --regression NAME [--sim S] [--jobs N] [--seeds N] [--seed BASE]
    [--batch N] [--out DIR] [--launcher local|slurm] [--partition P] [--account A] [--slurm-args "..."]

Builds once per (bench, simulator, parameters, coverage), runs every
(test, seed) in its own directory through the launcher, --batch jobs of one
build per simulator process (tools/regress/batches.py), then merges results
and coverage into build/regress/<name>/ (summary.json, junit.xml,
report.html; code coverage as lcov, genhtml and Cobertura XML). Up to
--rerun failing jobs (default 2) are run once more with waves, and the
report links their FST next to the repro line. The local launcher runs the jobs here, --jobs at a time; the
Slurm launcher submits the builds and then the runs as job arrays that depend
on them (docs/slurm.md). Exit 0 when every job passed, 1 when any failed, 2 on
a bad request, 130 when interrupted (results so far are still reported).
"""

import argparse
import json
import shlex
import sys
import time
from pathlib import Path

from tb.common.testbench import REPO, RTL_DIR
from tools.regress import batches, code_coverage, coverage, junit, messages, report, rerun, results, spec
from tools.regress.launcher import LaunchError, LocalLauncher, Outcome, Task, failed

# Documented code-coverage holes (tools/regress/code_coverage.py).
EXCLUSIONS = REPO / "regressions" / "coverage_exclusions.yaml"


def job_dir(out, job):
    return out / "jobs" / job.name


def build_key(job):
    return f"{job.bench}.{job.sim}.{job.params}.{int(job.coverage)}"


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m tools.regress")
    ap.add_argument("--regression", default="smoke")
    ap.add_argument("--sim", help="only this simulator (icarus or verilator)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--batch", type=int, default=batches.DEFAULT_SIZE,
                    help=f"jobs of one build per simulator process (default {batches.DEFAULT_SIZE})")
    ap.add_argument("--seeds", type=int, help="seeds per entry, overriding the list")
    ap.add_argument("--seed", type=int, help="base seed: the same base gives the same job seeds")
    ap.add_argument("--out", help="output directory (default build/regress/<name>)")
    ap.add_argument("--launcher", choices=("local", "slurm"), default="local")
    ap.add_argument("--partition", help="Slurm partition (default: the cluster's default)")
    ap.add_argument("--account", help="Slurm account")
    ap.add_argument("--slurm-args", default="", help="extra sbatch arguments, one string")
    ap.add_argument("--poll", type=float, default=5.0, help="seconds between Slurm queue polls")
    ap.add_argument("--rerun", type=int, default=rerun.DEFAULT_LIMIT,
                    help=f"rerun up to N failing jobs once with waves (default {rerun.DEFAULT_LIMIT}; 0: none)")
    ap.add_argument("--report-only", action="store_true",
                    help="run nothing: merge and report the jobs already in the output directory "
                         "(after editing coverage exclusions or goals)")
    args = ap.parse_args(argv)
    try:
        data = spec.load(args.regression)
        sims = [args.sim] if args.sim else None
        if args.sim and args.sim not in ("icarus", "verilator"):
            raise spec.SpecError(f"unknown simulator '{args.sim}' (known: icarus, verilator)")
        jobs = spec.expand(data, sims=sims, seeds=args.seeds, base_seed=args.seed)
        bad_goals = report.goal_error(data.get("goals"))
        if bad_goals:
            raise spec.SpecError(f"{args.regression}.yaml: {bad_goals}")
    except spec.SpecError as exc:
        print(f"regress: {exc}", file=sys.stderr)
        return 2
    if not jobs:
        print("regress: the regression has no jobs for that selection", file=sys.stderr)
        return 2

    out = Path(args.out).resolve() if args.out else REPO / "build" / "regress" / args.regression
    if args.report_only:
        return report_only(out, args.regression, data.get("goals"))
    out.mkdir(parents=True, exist_ok=True)
    py = sys.executable
    start = time.monotonic()
    if args.launcher == "slurm":
        from tools.regress.launcher_slurm import SlurmLauncher
        try:
            launcher = SlurmLauncher(out / "slurm", name=args.regression, partition=args.partition,
                                     account=args.account, extra=shlex.split(args.slurm_args),
                                     poll=args.poll)
        except LaunchError as exc:
            print(f"regress: {exc}", file=sys.stderr)
            return 2
        print(f"regress: {args.regression}: {len(jobs)} jobs through Slurm "
              f"(partition {args.partition or 'default'}), into {out}")
    else:
        launcher = LocalLauncher(args.jobs)
        print(f"regress: {args.regression}: {len(jobs)} jobs, {args.jobs} at a time, into {out}")

    # 1. Builds, once per key; the jobs of a failed build are not run, with the build's reason.
    builds = {j.build_key: j for j in jobs}
    build_tasks = []
    for (bench, sim, pset, cov), _ in builds.items():
        argv = [py, "-m", "tb.sim", "--build-only", bench, "--sim", sim, "--params", pset]
        if cov:
            argv.append("--coverage")
        build_tasks.append(Task(f"{bench}.{sim}.{pset}.{int(cov)}", argv,
                                str(out / "builds" / f"{bench}.{sim}.{pset}{'.cov' if cov else ''}"), 3600))
    # 2. Runs in batches (several jobs of one build per simulator process), each after its build.
    planned = batches.plan(jobs, args.batch, out, job_dir, build_key, batches.history(out))
    chunks = {t.key: chunk for t, chunk in planned}
    by_key = {j.name: j for j in jobs}
    tasks = [t for t, _ in planned]
    build_dirs = {t.key: t.directory for t in build_tasks}
    failed_builds = {}
    all_results = []
    interrupted = False
    done = 0
    stream = launcher.run_stages(build_tasks, tasks)
    try:
        for o in stream:
            if o.key in build_dirs:
                if failed(o):
                    failed_builds[o.key] = o.reason or messages.from_logs(Path(build_dirs[o.key]) / "job.log") \
                        or f"no error message in its log ({messages.exit_text(o.returncode)})"
                    print(f"  BUILD FAIL {o.key}: {failed_builds[o.key]}")
                continue
            chunk = chunks.pop(o.key)
            if o.skipped:  # its build failed: not run, with the build's reason
                for j in chunk:
                    all_results.append(results.not_run(j, job_dir(out, j),
                                                       failed_builds.get(build_key(j), "unknown")))
                continue
            total = sum(1 for j in jobs if build_key(j) not in failed_builds)
            for r in batches.collect(chunk, o, out, job_dir):
                all_results.append(r)
                done += 1
                mark = "ok  " if r.status == "pass" else r.status.upper()
                print(f"  [{done}/{total}] {mark} {r.name} ({r.seconds:.1f} s)", flush=True)
    except KeyboardInterrupt:
        stream.close()  # the launcher stops or cancels what is still running
        interrupted = True
        for chunk in chunks.values():  # what the batches still running had finished
            all_results += batches.collect_written(chunk, out, job_dir)
        print("regress: interrupted; reporting the jobs that finished", file=sys.stderr)
    except LaunchError as exc:
        stream.close()
        print(f"regress: {exc}", file=sys.stderr)
        return 2

    if not interrupted:
        try:
            rerun.run(launcher, all_results, args.rerun, lambda r: by_key[r.name].timeout)
        except KeyboardInterrupt:
            interrupted = True
            print("regress: interrupted during the waves reruns; reporting", file=sys.stderr)
        except LaunchError as exc:
            print(f"regress: waves reruns not run: {exc}", file=sys.stderr)
    wall = time.monotonic() - start
    return finish(out, args.regression, all_results, wall, interrupted, data.get("goals"))


def report_only(out, name, goals):
    """Merge and report the result.json files of an earlier run in `out`."""
    found = sorted((out / "jobs").glob("*/result.json"))
    if not found:
        print(f"regress: no job results in {out / 'jobs'} to report", file=sys.stderr)
        return 2
    try:
        all_results = [results.JobResult(**json.loads(f.read_text())) for f in found]
    except (ValueError, TypeError) as exc:
        print(f"regress: unreadable job result in {out / 'jobs'} ({exc})", file=sys.stderr)
        return 2
    wall = json.loads((out / "summary.json").read_text()).get("wall_seconds", 0.0) \
        if (out / "summary.json").exists() else 0.0
    return finish(out, name, all_results, wall, False, goals)


def finish(out, name, all_results, wall, interrupted, goals=None):
    passing = [r for r in all_results if r.status == "pass"]
    fdb = coverage.merge_functional(
        [Path(r.directory) / "coverage.yml" for r in passing if (Path(r.directory) / "coverage.yml").exists()],
        out / "functional_coverage.yml")
    groups, overall = coverage.functional_summary(fdb)
    try:
        code = code_coverage.merge_code(batches.code_coverage_files(all_results),
                                        out / "code_coverage", RTL_DIR, EXCLUSIONS)
    except code_coverage.ExclusionError as exc:  # the results are written below regardless
        print(f"regress: {exc}; code coverage not scored", file=sys.stderr)
        code = code_coverage.not_scored()
    code_html = "code_coverage/html/index.html" if (out / "code_coverage" / "html" / "index.html").exists() else None
    bks = results.buckets(all_results)
    junit.merge_junit(all_results, out / "junit.xml")
    summary = report.write_summary(out / "summary.json", name, all_results, wall, code, overall, groups, bks,
                                   report.check_goals(goals, code, groups))
    report.write_html(out / "report.html", summary, all_results, bks, groups, code_html)

    # Console summary: per test and simulator, then buckets with repro lines.
    print(f"\n{'test':40s} {'sim':10s} passed")
    for (test, sim), (ok, n) in sorted(report.per_test(all_results).items()):
        print(f"{test:40s} {sim:10s} {ok}/{n}{'' if ok == n else '  FAIL'}")
    for msg, rs in bks:
        print(f"\nbucket ({len(rs)}): {msg}")
        for r in rs[:10]:
            waves = rerun.waves_of(r)
            print(f"  reproduce: {r.repro}\n  log: {r.log}" + (f"\n  waves: {waves}" if waves else ""))
    cov = lambda v: "n/a" if v is None else f"{v:.1f}%"
    print(f"\ncoverage: line {cov(code['line'])}, branch {cov(code['branch'])}, toggle {cov(code['toggle'])}, "
          f"functional {cov(overall)}")
    for g in summary["goals"]:
        print(f"goal {g['metric']} >= {g['goal']}%: {'met' if g['met'] else 'MISSED'} ({g['detail']})")
    print(f"time: simulations {summary['sim_seconds']} s of {summary['job_seconds']} job-seconds "
          f"(efficiency {summary['efficiency']}), wall {summary['wall_seconds']} s")
    print(f"report: {out / 'report.html'}\nsummary: {out / 'summary.json'}")
    print(f"{summary['passed']} passed, {summary['failed']} failed"
          + (f", {summary['not_run']} not run (their build failed)" if summary["not_run"] else ""))
    if interrupted:
        return 130
    return 0 if summary["failed"] == 0 and summary["not_run"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
