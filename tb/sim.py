"""Build and run one test: `python -m tb.sim --test NAME [--sim icarus|verilator]
[--seed N] [--params fast|paper] [--waves] [--coverage] [--out DIR]`.

One build per (bench, simulator, parameter set, waves, coverage) in
build/sim/<bench>/<sim>-<params>[-waves][-cov]/, reused by every test and seed;
each run gets its own directory with its job file (job.json: the test, the
simulator, the parameters, the output directory and the repro line; the
simulator process reads it, tb.common.config), results.xml, the log,
coverage.yml (functional) and, under Verilator with --coverage, coverage.dat
(code). `make run-case` builds and runs through the same functions, with
parameters of the case's own and a job.npz that carries the case.
Every failure ends with the one command that reproduces it.
Exit codes: 0 passed, 1 failed, 2 bad request (unknown test, simulator,
parameter set) or a missing tool.
"""

import argparse
import fcntl
import json
import logging
import os
import random
import re
import shutil
import sys
from pathlib import Path

from tb.common.params import PARAM_SETS, param_set
from tb.common.testbench import REPO, RTL_DIR, all_tests, allowed_params

SIMS = ("icarus", "verilator")
SIM_TOOL = {"icarus": "iverilog", "verilator": "verilator"}
TIMESCALE = ("1ns", "1ps")
# Verilator's model flags, imported by what builds the same model outside cocotb (bench/native).
VERILATOR_ARGS = ("--assert", "-Wall", "-Wno-fatal", "--x-assign", "unique", "--x-initial", "unique")
PORTS_ONLY_ARGS = ("--public-depth", "1")
# The C++ optimization of the benches' and long jobs' models (tb/topfast; the
# native harness's build it is compared with): -O3 for every file of the model,
# Verilator's runtime and VPI and cocotb's main (make bench, native_speed: the
# native harness 1.04-1.05x, the cocotb flows 1.09-1.19x). The other benches'
# short jobs keep Verilator's default -Os (docs/bench.md section 5).
BENCH_OPT_ARGS = ("-CFLAGS", "-O3")
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


def params_tag(params):
    """The build directory's name part of a parameter dict: its set's name,
    or the values (lanes4-vec16-...) for a set of its own (make run-case)."""
    named = next((name for name, p in PARAM_SETS.items() if p == params), None)
    return named or "-".join(f"{k.lower()}{v}" for k, v in params.items())


ASSERT_DEFINE = "VSQ_ASSERT"
# A failing immediate assertion: Icarus prints "ERROR: file:line:" and runs on;
# Verilator --assert prints "%Error: file:line: ..." and stops the simulation.
RTL_ASSERT = re.compile(r"^(?:ERROR|%Error): (\S+\.v:\d+):", re.MULTILINE)


def rtl_assertion(run_dir):
    """'file:line' of the first RTL assertion that failed in a run, or None."""
    try:
        m = RTL_ASSERT.search((Path(run_dir) / "sim.log").read_text(errors="replace"))
    except OSError:
        return None
    return m.group(1) if m else None


def build_dir(bench, sim, pset, waves, coverage):
    tag = f"{sim}-{pset}" + ("-waves" if waves else "") + ("-cov" if coverage else "")
    # VSQ_SIM_BUILD: a separate build tree (make mutate: one per mutant, next to its RTL).
    return Path(os.environ.get("VSQ_SIM_BUILD") or REPO / "build" / "sim") / bench.name / tag


def _quiet_runner_logs():
    """The cocotb runners' "Skipping compilation" is not news to a user of make run-case."""
    for name in ("Icarus", "Verilator"):
        logging.getLogger(name).addFilter(lambda rec: not rec.getMessage().startswith("Skipping compilation"))


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
            cmds[0] = first[:i] + list(PORTS_ONLY_ARGS) + first[i + 1:]
            return cmds

    return VerilatorPortsOnly()


def build(bench, sim, pset, waves=False, coverage=False, quiet=False, params=None):
    """Build (or reuse) the simulation model; returns (runner, directory).
    `pset` names a parameter set, or `params` gives one of its own (pset None).
    The cocotb runner keeps the build's state, so the same object must run the tests."""
    from cocotb_tools.runner import get_runner

    if sim not in bench.sims:
        raise Refusal(f"bench {bench.name} runs only under {' or '.join(bench.sims)}, not {sim}")
    if shutil.which(SIM_TOOL[sim]) is None:
        raise Refusal(f"simulator '{sim}' not found: '{SIM_TOOL[sim]}' is not on PATH (run `make setup`)")
    if quiet:
        _quiet_runner_logs()
    params = dict(params) if params is not None else param_set(pset)
    bdir = build_dir(bench, sim, pset or params_tag(params), waves, coverage)
    # The RTL's invariant assertions (under VSQ_ASSERT, formal/README.md) are on in every build.
    build_args = [f"-D{ASSERT_DEFINE}"]
    if sim == "verilator":
        build_args += list(VERILATOR_ARGS) + list(bench.verilator_args)
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
        _build_locked(runner, bench, sim, pset or params_tag(params), params, bdir, build_args, waves, log)
    return runner, bdir


def _build_locked(runner, bench, sim, pset, params, bdir, build_args, waves, log):
    try:
        runner.build(
            sources=bench.sources(), includes=[RTL_DIR], hdl_toplevel=bench.toplevel,
            parameters=bench.verilog_params(params), build_dir=bdir,
            build_args=build_args, waves=waves, always=False, log_file=log, timescale=TIMESCALE,
        )
    except SystemExit as exc:  # the cocotb runner exits on tool errors
        raise Refusal(f"build of {bench.name} for {sim}/{pset} failed ({exc}); see {log}") from None
    except Exception as exc:  # noqa: BLE001 - a compile error is the user's to read in the log
        raise Refusal(f"build of {bench.name} for {sim}/{pset} failed: {str(exc).splitlines()[0]}; see {log}") from None


def write_job(run_dir, job, arrays=None):
    """The job file of a run (tb.common.config.read_job reads it): job.json,
    or job.npz with `arrays` and the JSON under "job"."""
    if arrays:
        import numpy as np  # only a job with arrays (make run-case) needs numpy here

        path = run_dir / "job.npz"
        np.savez(path, job=np.array(json.dumps(job)), **arrays)
    else:
        path = run_dir / "job.json"
        path.write_text(json.dumps(job, indent=1) + "\n")
    return path


def run(test, sim, seed, pset, waves=False, coverage=False, out=None, *, bench=None, module=None,
        params=None, job=None, arrays=None, repro=None, quiet=False):
    """Run one test; returns (passed, run_dir, repro). A test outside the
    benches' tests/ (make run-case) names its `bench` and `module`, may bring
    `params` of its own (pset None), extra `job` keys and `arrays` for the
    job file, and its own `repro` line."""
    from cocotb_tools.check_results import get_results

    bench = bench or all_tests(include_benchmarks=True)[test]
    runner, bdir = build(bench, sim, pset, waves, coverage, quiet=quiet, params=params)
    run_dir = Path(out) if out else bdir / "runs" / f"{test}-s{seed}"
    run_dir.mkdir(parents=True, exist_ok=True)
    results = run_dir / "results.xml"
    if results.exists():
        results.unlink()
    params = dict(params) if params is not None else param_set(pset)
    repro = repro or f"make sim TEST={test} SIM={sim} SEED={seed} PARAMS={pset} WAVES=1"
    job = {"test": test, "sim": sim, "param_set": pset or params_tag(params), "params": params,
           "out_dir": str(run_dir), "repro": repro, **(job or {})}
    env = {
        "VSQ_JOB": str(write_job(run_dir, job, arrays)),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        # Jobs run side by side: BLAS worker threads would only oversubscribe the cores.
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
    }
    plusargs = []
    if sim == "icarus" and waves:  # into the run's directory, not the shared build
        plusargs.append(f"+dumpfile_path={run_dir / 'dump.fst'}")
    if sim == "verilator" and coverage:
        plusargs.append(f"+verilator+coverage+file+{run_dir / 'coverage.dat'}")
    try:
        runner.test(
            test_module=module or bench.test_module(test), hdl_toplevel=bench.toplevel,
            build_dir=bdir, test_dir=run_dir, results_xml=str(results), seed=seed,
            extra_env=env, plusargs=plusargs, waves=waves, log_file=run_dir / "sim.log",
            parameters=bench.verilog_params(params), timescale=TIMESCALE,
        )
    except RuntimeError:  # the simulator exited non-zero (e.g. a Verilator assertion): a failed run
        pass
    if not results.exists():
        return False, run_dir, repro
    total, failed = get_results(results)
    return total > 0 and failed == 0 and rtl_assertion(run_dir) is None, run_dir, repro


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
        where = rtl_assertion(run_dir)
        if where:
            print(f"sim: RTL assertion failed at {where} (see {run_dir / 'sim.log'})")
        print(f"reproduce: {repro}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
