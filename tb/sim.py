"""Build and run one test: `python -m tb.sim --test NAME [--sim icarus|verilator]
[--seed N] [--params fast|paper] [--waves] [--coverage] [--out DIR]`.

One build per (bench, simulator, parameter set, waves, coverage) in
build/sim/<bench>/<sim>-<params>[-waves][-cov]/, reused by every test and seed;
each run gets its own directory with results.xml, the log, coverage.yml
(functional) and, under Verilator with --coverage, coverage.dat (code).
Every failure ends with the one command that reproduces it.
Exit codes: 0 passed, 1 failed, 2 bad request (unknown test, simulator,
parameter set) or a missing tool.
"""

import argparse
import fcntl
import json
import os
import random
import shutil
import sys
from pathlib import Path

from tb.common.params import PARAM_SETS, param_set
from tb.common.testbench import REPO, all_tests, allowed_params

SIMS = ("icarus", "verilator")
SIM_TOOL = {"icarus": "iverilog", "verilator": "verilator"}
TIMESCALE = ("1ns", "1ps")
# Where tools/setup_verilator.sh builds Verilator when none on PATH is new enough.
VERILATOR_CACHE = (Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
                   / "vsq-accel" / "verilator-5.048" / "bin")


def sim_env(env=None):
    """A copy of `env` (default: this process's) whose PATH starts, as the
    Makefile's does, with the venv's bin and the cached Verilator, so that a
    script run outside make finds the same tools (and not an older system
    Verilator first)."""
    env = dict(os.environ if env is None else env)
    first = [str(Path(sys.executable).parent)]
    if VERILATOR_CACHE.is_dir():
        first.append(str(VERILATOR_CACHE))
    env["PATH"] = os.pathsep.join(first + [env.get("PATH", "")])
    return env


class Refusal(Exception):
    """A bad request: reported as one line, exit code 2."""


def build_dir(bench, sim, pset, waves, coverage):
    tag = f"{sim}-{pset}" + ("-waves" if waves else "") + ("-cov" if coverage else "")
    # VSQ_SIM_BUILD: a separate build tree (make mutate: one per mutant, next to its RTL).
    return Path(os.environ.get("VSQ_SIM_BUILD") or REPO / "build" / "sim") / bench.name / tag


def _verilator_ports_only():
    """cocotb's Verilator runner with --public-flat-rw (every signal of every
    instance visible to VPI) narrowed to --public-depth 1: the benches drive and
    watch only the top level's ports, and the flat-public model keeps Verilator
    from optimizing anything away (the engine bench ran about 50x slower)."""
    from cocotb_tools.runner import Verilator

    class VerilatorPortsOnly(Verilator):
        def _build_command(self):
            cmds = super()._build_command()
            first = cmds[0]
            i = first.index("--public-flat-rw")
            cmds[0] = first[:i] + ["--public-depth", "1"] + first[i + 1:]
            return cmds

    return VerilatorPortsOnly()


def build(bench, sim, pset, waves=False, coverage=False, quiet=False):
    """Build (or reuse) the simulation model; returns (runner, directory).
    The cocotb runner keeps the build's state, so the same object must run the tests."""
    from cocotb_tools.runner import get_runner

    if shutil.which(SIM_TOOL[sim]) is None:
        raise Refusal(f"simulator '{sim}' not found: '{SIM_TOOL[sim]}' is not on PATH (run `make setup`)")
    bdir = build_dir(bench, sim, pset, waves, coverage)
    build_args = []
    if sim == "verilator":
        build_args += ["-Wall", "-Wno-fatal", "--x-assign", "unique", "--x-initial", "unique"]
        if waves:
            build_args += ["--trace-fst", "--trace-structs"]
        if coverage:
            build_args += ["--coverage-line", "--coverage-toggle", "--coverage-user"]
    runner = _verilator_ports_only() if sim == "verilator" else get_runner(sim)
    log = bdir / "build.log"
    bdir.mkdir(parents=True, exist_ok=True)
    # One build per directory at a time: parallel jobs wait, then reuse it.
    with open(bdir / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _build_locked(runner, bench, sim, pset, bdir, build_args, waves, log)
    return runner, bdir


def _build_locked(runner, bench, sim, pset, bdir, build_args, waves, log):
    try:
        runner.build(
            sources=bench.sources(), hdl_toplevel=bench.toplevel,
            parameters=bench.verilog_params(param_set(pset)), build_dir=bdir,
            build_args=build_args, waves=waves, always=False, log_file=log, timescale=TIMESCALE,
        )
    except SystemExit as exc:  # the cocotb runner exits on tool errors
        raise Refusal(f"build of {bench.name} for {sim}/{pset} failed ({exc}); see {log}") from None
    except Exception as exc:  # noqa: BLE001 - a compile error is the user's to read in the log
        raise Refusal(f"build of {bench.name} for {sim}/{pset} failed: {str(exc).splitlines()[0]}; see {log}") from None


def run(test, sim, seed, pset, waves=False, coverage=False, out=None):
    """Run one test; returns (passed, run_dir, repro)."""
    from cocotb_tools.check_results import get_results

    bench = all_tests(include_benchmarks=True)[test]
    runner, bdir = build(bench, sim, pset, waves, coverage)
    run_dir = Path(out) if out else bdir / "runs" / f"{test}-s{seed}"
    run_dir.mkdir(parents=True, exist_ok=True)
    results = run_dir / "results.xml"
    if results.exists():
        results.unlink()
    params = param_set(pset)
    env = {
        "VSQ_TEST": test, "VSQ_SIM": sim, "VSQ_PARAM_SET": pset,
        "VSQ_PARAMS": json.dumps(params), "VSQ_OUT_DIR": str(run_dir),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        # Jobs run side by side: BLAS worker threads would only oversubscribe the cores.
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
    }
    plusargs = []
    if sim == "icarus" and waves:  # into the run's directory, not the shared build
        plusargs.append(f"+dumpfile_path={run_dir / 'dump.fst'}")
    if sim == "verilator" and coverage:
        plusargs.append(f"+verilator+coverage+file+{run_dir / 'coverage.dat'}")
    runner.test(
        test_module=bench.test_module(test), hdl_toplevel=bench.toplevel,
        build_dir=bdir, test_dir=run_dir, results_xml=str(results), seed=seed,
        extra_env=env, plusargs=plusargs, waves=waves, log_file=run_dir / "sim.log",
        parameters=bench.verilog_params(params), timescale=TIMESCALE,
    )
    repro = (f"make sim TEST={test} SIM={sim} SEED={seed} PARAMS={pset} WAVES=1")
    if not results.exists():
        return False, run_dir, repro
    total, failed = get_results(results)
    return total > 0 and failed == 0, run_dir, repro


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m tb.sim", description=__doc__.split("\n")[0])
    ap.add_argument("--test")
    ap.add_argument("--sim", default="icarus")
    ap.add_argument("--seed", type=int)
    ap.add_argument("--params", default="fast")
    ap.add_argument("--waves", action="store_true")
    ap.add_argument("--coverage", action="store_true")
    ap.add_argument("--out", help="run directory (default under the build directory)")
    ap.add_argument("--list", action="store_true", help="list the tests and exit")
    ap.add_argument("--build-only", metavar="BENCH", help="only build BENCH for --sim/--params")
    args = ap.parse_args(argv)
    try:
        tests = all_tests(include_benchmarks=True)
        if args.list:
            for name, bench in sorted(tests.items()):
                print(f"{name}\t{bench.name}")
            return 0
        if args.sim not in SIMS:
            raise Refusal(f"unknown simulator '{args.sim}' (known: {', '.join(SIMS)})")
        if args.params not in PARAM_SETS:
            raise Refusal(f"unknown parameter set '{args.params}' (known: {', '.join(PARAM_SETS)})")
        if args.build_only:
            benches = {b.name: b for b in tests.values()}
            if args.build_only not in benches:
                raise Refusal(f"unknown bench '{args.build_only}' (known: {', '.join(sorted(benches))})")
            _, bdir = build(benches[args.build_only], args.sim, args.params, args.waves, args.coverage)
            print(f"built {args.build_only} for {args.sim}/{args.params} in {bdir}")
            return 0
        if not args.test:
            raise Refusal("no test given (TEST=<name>; `make list-tests` lists them)")
        if args.test not in tests:
            raise Refusal(f"unknown test '{args.test}' (`make list-tests` lists the {len(tests)} tests)")
        allowed = allowed_params(tests[args.test].name, args.test)
        if args.params not in allowed:
            raise Refusal(f"{args.test} runs only with PARAMS={' or '.join(allowed)} (PARAM_SETS in its file)")
        seed = args.seed if args.seed is not None else random.randrange(1, 2**31)
        passed, run_dir, repro = run(args.test, args.sim, seed, args.params,
                                     args.waves, args.coverage, args.out)
    except Refusal as exc:
        print(f"sim: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("sim: interrupted", file=sys.stderr)
        return 130
    status = "PASS" if passed else "FAIL"
    print(f"{status} {args.test} sim={args.sim} params={args.params} seed={seed} log={run_dir / 'sim.log'}")
    if args.waves:
        print(f"waves: {run_dir / 'dump.fst'}")
    if not passed:
        print(f"reproduce: {repro}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
