"""`make run-case CASE=… OUT=… [SIM=…]`: a case through the RTL.

    python -m tools.run_case_rtl CASE.npz -o OUT.npz [--sim icarus|verilator]

1. The case is validated exactly as the reference model validates it
   (models.case.load_case); a bad case is refused with one line, exit 2.
2. The top (rtl/vsq_top.v) is built, or reused, for the case's `vec` and
   `lanes`: LANES = lanes, VEC = vec, ACC_DEPTH = lanes, and the buffer depths
   of the named parameter set with that VEC and LANES (tb/common/params.py;
   the paper set's otherwise), doubled until the smallest chunk fits (a
   softmax column is never split, so its whole M must fit the A buffer).
   Builds live in build/run_case/<sim>-<parameters>/.
3. The case is driven through the top by the system environment
   (tb/top/run_case_entry.py, tb/top/seq_lib/run_case_seq.py): padded to the
   tile grid, split over M and N into chunks that fit the buffers, each
   chunk's result frame decoded. The outputs .npz has the architecture.md
   keys of the out_mode (`acc` only for out_mode acc: the top cannot observe
   the accumulator otherwise) and `cycles` (sum of the chunks' CYC_TOTAL).
4. The outputs are compared with models.case.run_case on the same case:
   exit 0 when every element matches, exit 1 naming the first mismatching
   element (key, index, expected, got) or a failed simulation (with its log).

Simulator: --sim (the Makefile passes SIM only when given on the command
line); by default Icarus for fast-sized designs (VEC <= 16 and LANES <= 4),
Verilator otherwise. A case the RTL cannot be built for (LANES not a power
of two >= 2, VEC not a power of two in 8..256 with VEC/2 a multiple of LANES,
K over the 16-bit K register, ...) is refused with one line, exit 2.
"""

import argparse
import fcntl
import json
import logging
import math
import os
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

from models.case import CaseError, load_case, run_case, save_outputs
from models.numerics import out_group, vec_len
from tb.common.params import PARAM_SETS
from tb.sim import sim_env

REPO = Path(__file__).resolve().parents[1]
EXIT_MISMATCH, EXIT_REFUSED = 1, 2
SIM_TOOL = {"icarus": "iverilog", "verilator": "verilator"}
OUT_KEYS = {"acc": ("acc",), "int8": ("out_q",), "int4": ("out_q",), "int4_vsq": ("out_q", "out_s"),
            "int8_vsq": ("out_q", "out_s"), "softmax": ("probs",)}


class Refusal(Exception):
    """One line, exit 2."""


class _OneLineParser(argparse.ArgumentParser):
    def error(self, message):
        print(f"run-case: {message}", file=sys.stderr)
        sys.exit(EXIT_REFUSED)


def _pow2(x):
    return x > 0 and x & (x - 1) == 0


def _next_pow2(x):
    return 1 << max(0, math.ceil(math.log2(max(1, x))))


def rtl_params(case):
    """The top's parameters for a validated case, or Refusal."""
    vec, lanes, mode, out_mode = case["vec"], case["lanes"], case["mode"], case["out_mode"]
    if not _pow2(lanes) or lanes < 2:
        raise Refusal(f"the RTL cannot be built for lanes = {lanes}: LANES must be a power of two >= 2")
    if not _pow2(vec) or not 8 <= vec <= 256:
        raise Refusal(f"the RTL cannot be built for vec = {vec}: VEC must be a power of two in 8..256")
    if (vec // 2) % lanes:
        raise Refusal(f"the RTL cannot be built for vec = {vec}, lanes = {lanes}: VEC/2 must be a multiple of LANES")
    M, K = case["a_q"].shape
    if K > 0xFFFF:
        raise Refusal(f"K = {K} does not fit the top's 16-bit K register")
    base = next((dict(p) for p in PARAM_SETS.values() if p["VEC"] == vec and p["LANES"] == lanes),
                dict(PARAM_SETS["paper"]))
    kv = K // vec_len(mode, vec)
    unit = math.lcm(lanes, out_group(out_mode, vec)[0]) if out_mode in ("int4_vsq", "int8_vsq") else lanes
    m_min = -(-M // lanes) * lanes if out_mode == "softmax" else unit
    a_need = (m_min // lanes) * kv  # A words per bank of the smallest chunk
    a_depth = max(base["A_DEPTH"], _next_pow2(a_need))
    if lanes * a_depth > 0xFFFF:  # the PPU's g/bias table (LANES * A_DEPTH rows) has at most 65535 rows
        a_depth = max(2, a_need)
    b_depth = max(base["B_DEPTH"], _next_pow2(lanes * kv))
    if lanes * a_depth > 0xFFFF or b_depth > 65536:
        what = f"a softmax column of M = {M} with K = {K}" if out_mode == "softmax" else f"K = {K}"
        raise Refusal(f"{what} needs buffers larger than the RTL supports (A_DEPTH {a_need}, B_DEPTH {lanes * kv})")
    return {"LANES": lanes, "VEC": vec, "ACC_DEPTH": lanes, "A_DEPTH": a_depth, "B_DEPTH": b_depth,
            "OUT_DEPTH": base["OUT_DEPTH"]}


def default_sim(params):
    return "icarus" if params["VEC"] <= 16 and params["LANES"] <= 4 else "verilator"


def _build(sim, params):
    """(runner, build directory) for the top with `params`, built once per directory."""
    from cocotb_tools.runner import get_runner

    from tb.sim import TIMESCALE
    from tb.top.testbench import TESTBENCH

    if shutil.which(SIM_TOOL[sim]) is None:
        raise Refusal(f"simulator '{sim}' not found: '{SIM_TOOL[sim]}' is not on PATH (run `make setup`)")
    for name in ("Icarus", "Verilator"):  # the cocotb runners' loggers: "Skipping compilation" is not news
        logging.getLogger(name).addFilter(lambda rec: not rec.getMessage().startswith("Skipping compilation"))
    named = next((name for name, p in PARAM_SETS.items() if p == params), None)
    if named:  # the testbench's own build of that parameter set (build/sim/top/<sim>-<set>/)
        from tb.sim import Refusal as SimRefusal
        from tb.sim import build
        try:
            runner, bdir = build(TESTBENCH, sim, named)
        except SimRefusal as exc:
            raise Refusal(str(exc)) from None
        return runner, bdir
    tag = "-".join(f"{k.lower()}{v}" for k, v in params.items())
    bdir = REPO / "build" / "run_case" / f"{sim}-{tag}"
    bdir.mkdir(parents=True, exist_ok=True)
    build_args = ["-Wall", "-Wno-fatal", "--x-assign", "unique", "--x-initial", "unique"] if sim == "verilator" else []
    runner = get_runner(sim)
    with open(bdir / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            runner.build(sources=TESTBENCH.sources(), hdl_toplevel=TESTBENCH.toplevel, parameters=params,
                         build_dir=bdir, build_args=build_args, always=False, log_file=bdir / "build.log",
                         timescale=TIMESCALE)
        except (SystemExit, Exception) as exc:  # noqa: BLE001 - the log has the details
            raise Refusal(f"build of the top for {sim} failed ({str(exc).splitlines()[0] if str(exc) else exc}); "
                          f"see {bdir / 'build.log'}") from None
    return runner, bdir


def simulate(case_path, params, sim):
    """Run the case through the top; returns (outputs dict or None, log path)."""
    from cocotb_tools.check_results import get_results

    from tb.sim import TIMESCALE

    runner, bdir = _build(sim, params)
    runs = bdir / "runs"
    runs.mkdir(exist_ok=True)
    run_dir = Path(tempfile.mkdtemp(dir=runs, prefix=Path(case_path).stem + "-"))
    out = run_dir / "rtl_outputs.npz"
    results = run_dir / "results.xml"
    env = {
        "VSQ_CASE": str(Path(case_path).resolve()), "VSQ_CASE_OUT": str(out),
        "VSQ_TEST": "run_case", "VSQ_SIM": sim, "VSQ_PARAM_SET": "run_case",
        "VSQ_PARAMS": json.dumps(params), "VSQ_OUT_DIR": str(run_dir),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    log = run_dir / "sim.log"
    try:
        runner.test(test_module="tb.top.run_case_entry", hdl_toplevel="vsq_top", build_dir=bdir,
                    test_dir=run_dir, results_xml=str(results), seed=1, extra_env=env,
                    log_file=log, parameters=params, timescale=TIMESCALE)
    except SystemExit:
        pass
    if not results.exists() or not out.exists():
        return None, log
    total, failed = get_results(results)
    if total == 0 or failed:
        return None, log
    with np.load(out) as npz:
        return {k: npz[k] for k in npz.files}, log


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
        params = rtl_params(case)
        sim = args.sim or default_sim(params)
        got, log = simulate(args.case, params, sim)
    except (CaseError, Refusal) as exc:
        print(f"run-case: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    if got is None:
        print(f"run-case: the simulation of {args.case} failed under {sim}; log: {log}", file=sys.stderr)
        return EXIT_MISMATCH
    try:
        save_outputs(args.out, got)
    except OSError as exc:
        print(f"run-case: {args.out}: cannot write output ({exc.strerror or exc})", file=sys.stderr)
        return EXIT_REFUSED
    expected = run_case(case)
    bad = first_mismatch(expected, got, case["out_mode"])
    if bad:
        key, idx, e, g, count = bad
        where = f"{key}[{', '.join(map(str, idx))}]" if isinstance(idx, tuple) else f"{key} ({idx})"
        print(f"run-case: MISMATCH {where}: expected {e}, got {g} ({count} element(s) differ; "
              f"sim {sim}, log {log})", file=sys.stderr)
        return EXIT_MISMATCH
    keys = ", ".join(OUT_KEYS[case["out_mode"]])
    print(f"run-case: {args.case}: RTL ({sim}, LANES={params['LANES']} VEC={params['VEC']}) matches the model "
          f"({keys}; {int(got['cycles'])} cycles) -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
