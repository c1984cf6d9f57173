"""`make run-case CASE=… OUT=… [SIM=…]`: a case through the RTL, in one pass.

    python -m tools.run_case_rtl CASE.npz -o OUT.npz [--sim icarus|verilator]

1. The case is loaded and validated once, exactly as the reference model
   validates it (models.case.load_case); a bad case is refused with one
   line, exit 2.
2. Its chunk plan (models.contract.case_plan) gives the top's parameters
   (LANES = lanes, VEC = vec, ACC_DEPTH = lanes, buffer depths that fit the
   smallest chunk) and the chunks; a case the RTL cannot be built for
   (LANES not a power of two >= 2, VEC not a power of two in 8..256 with
   VEC/2 a multiple of LANES, K over the 16-bit K register, ...) is refused
   with one line, exit 2.
3. The top is built, or reused, by tb.sim (the build of `make sim`, in
   build/sim/top/<sim>-<parameters>/) and the case is driven through it by
   the system environment (tb/top/run_case_entry.py): one job file
   (job.npz: the validated case and the output path) for the simulator
   process. The simulation writes the outputs once, to OUT: the
   architecture.md keys of the out_mode (`acc` only for out_mode acc) and
   `cycles` (from the first chunk's push to the last result word: the chunks
   run overlapped through the banks and the descriptor queue).
4. The outputs are compared with models.case on the same case: exit 0 when
   every element matches, exit 1 naming the first mismatching element (key,
   index, expected, got) or a failed simulation (with its log and the
   command that reproduces it).

Simulator: --sim (the Makefile passes SIM only when given on the command
line); by default Icarus for fast-sized designs (VEC <= 16 and LANES <= 4),
Verilator otherwise.
"""

import argparse
import os
import shlex
import sys
import tempfile
from pathlib import Path

import numpy as np

from models.case import ARRAY_DTYPES, SCALAR_KINDS, CaseError, load_case, run_valid_case
from models.contract import OUT_KEYS, PlanError, case_plan
from tb.sim import SIM_TOOL, Refusal, build_dir, params_tag, run, sim_env

EXIT_MISMATCH, EXIT_REFUSED = 1, 2


class _OneLineParser(argparse.ArgumentParser):
    def error(self, message):
        print(f"run-case: {message}", file=sys.stderr)
        sys.exit(EXIT_REFUSED)


def default_sim(params):
    return "icarus" if params["VEC"] <= 16 and params["LANES"] <= 4 else "verilator"


def repro_line(case_path, out_path, sim):
    """The command that reruns this case as the user ran it."""
    return (f"make run-case CASE={shlex.quote(str(case_path))} OUT={shlex.quote(str(out_path))} "
            f"SIM={sim}")


def simulate(case, case_path, out_path, params, sim):
    """Run the validated case through the top, the outputs written to
    out_path; returns (passed, log path, repro line)."""
    from tb.top.testbench import TESTBENCH

    runs = build_dir(TESTBENCH, sim, params_tag(params), False, False) / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    run_dir = Path(tempfile.mkdtemp(dir=runs, prefix=Path(case_path).stem + "-"))
    repro = repro_line(case_path, out_path, sim)
    passed, run_dir, _ = run(
        "run_case", sim, 1, None, out=run_dir, bench=TESTBENCH, module="tb.top.run_case_entry", params=params,
        job={"out": str(Path(out_path).resolve()), "case_scalars": {k: case[k] for k in SCALAR_KINDS}},
        arrays={k: case[k] for k in ARRAY_DTYPES}, repro=repro, quiet=True)
    return passed, run_dir / "sim.log", repro


def first_mismatch(expected, got, out_mode):
    """None, or (key, index, expected value, got value, count) of the first difference."""
    for key in OUT_KEYS[out_mode]:
        if key not in got:
            return key, "missing", "present", "absent", 1
        e, g = np.asarray(expected[key]), np.asarray(got[key])
        if e.shape != g.shape:
            return key, "shape", e.shape, g.shape, 1
        bad = np.argwhere(e.astype(np.int64) != g.astype(np.int64))
        if len(bad):
            idx = tuple(int(i) for i in bad[0])
            return key, idx, e[idx], g[idx], len(bad)
    return None


def _writable(out):
    """None, or why the output file cannot be written (checked before simulating)."""
    parent = Path(out).resolve().parent
    if Path(out).is_dir():
        return "is a directory"
    if not parent.is_dir():
        return f"no such directory {parent}"
    if not os.access(parent, os.W_OK):
        return f"directory {parent} is not writable"
    return None


def main(argv=None):
    ap = _OneLineParser(prog="make run-case", description=__doc__.splitlines()[0])
    ap.add_argument("case")
    ap.add_argument("-o", "--out", default="")
    ap.add_argument("--sim", choices=sorted(SIM_TOOL), default=None)
    args = ap.parse_args(argv)
    if not args.case:
        print("run-case: no case given (CASE=path/to/case.npz)", file=sys.stderr)
        return EXIT_REFUSED
    if not args.out:
        print("run-case: no output given (OUT=path/to/out.npz)", file=sys.stderr)
        return EXIT_REFUSED
    os.environ["PATH"] = sim_env()["PATH"]  # the simulators run in this process
    try:
        case = load_case(args.case)
        plan = case_plan(case)
        why = _writable(args.out)
        if why:
            raise Refusal(f"{args.out}: cannot write output ({why})")
        sim = args.sim or default_sim(plan.params)
        passed, log, repro = simulate(case, args.case, args.out, plan.params, sim)
    except (CaseError, PlanError, Refusal) as exc:
        print(f"run-case: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    if not passed or not Path(args.out).exists():
        print(f"run-case: the simulation of {args.case} failed under {sim}; log: {log}; reproduce: {repro}",
              file=sys.stderr)
        return EXIT_MISMATCH
    with np.load(args.out) as npz:
        got = {k: npz[k] for k in npz.files}
    bad = first_mismatch(run_valid_case(case), got, case["out_mode"])
    if bad:
        key, idx, e, g, count = bad
        where = f"{key}[{', '.join(map(str, idx))}]" if isinstance(idx, tuple) else f"{key} ({idx})"
        print(f"run-case: MISMATCH {where}: expected {e}, got {g} ({count} element(s) differ; "
              f"sim {sim}, log {log}); reproduce: {repro}", file=sys.stderr)
        return EXIT_MISMATCH
    keys = ", ".join(OUT_KEYS[case["out_mode"]])
    print(f"run-case: {args.case}: RTL ({sim}, LANES={plan.params['LANES']} VEC={plan.params['VEC']}) matches the "
          f"model ({keys}; {int(got['cycles'])} cycles) -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
