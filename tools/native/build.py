"""Build the native harness (bench/native/harness.cpp) against vsq_top with
the cocotb flow's Verilator model flags, imported from tb.sim (VERILATOR_ARGS,
PORTS_ONLY_ARGS, TIMESCALE) and the flags cocotb's Verilator runner adds
(--vpi, --prefix Vtop), so the model is the one the cocotb job simulates;
only the C++ main differs. A build option variant (VARIANTS) changes the
Verilator arguments or the make variables, for the native and the cocotb
flow alike (tools/native/cocotb_variant.py).

    build(param_set, variant="base") -> path of the executable (reused while
    its inputs and command are unchanged)
"""

import json
import shutil
import subprocess
import sys
import time

from tb.common.params import param_set as params_of
from tb.common.testbench import REPO, testbenches
from tb.sim import ASSERT_DEFINE, PORTS_ONLY_ARGS, RTL_DIR, TIMESCALE, VERILATOR_ARGS, sim_env

HARNESS = REPO / "bench" / "native" / "harness.cpp"
OUT = REPO / "build" / "bench" / "native"
EXE = "vsq_native"

# variant: (what it changes, Verilator arguments in place of / added to the base ones, make variables)
VARIANTS = {
    "base": ("the project's flags (Verilator -O default, C++ -Os)", {}, []),
    "verilator-O3": ("Verilator -O3", {"-O3": None}, []),
    # tb.sim's BENCH_OPT_ARGS: the fast path's flags (bench/native_speed pairs it with this build)
    "cxx-O3": ("C++ -O3 (-CFLAGS -O3: the model, Verilator's runtime, VPI, the main)", {"-CFLAGS": "-O3"}, []),
    "x-assign-fast": ("--x-assign fast", {"--x-assign": "fast"}, []),
    "threads-2": ("--threads 2", {"--threads": "2"}, []),
}


def model_args(variant):
    """Verilator's model arguments of a variant: the project's, with the variant's options replaced or added."""
    changes = VARIANTS[variant][1]
    args = list(VERILATOR_ARGS)
    for opt, value in changes.items():
        if opt in args and value is not None:
            args[args.index(opt) + 1] = value
        else:
            args += [opt] + ([value] if value is not None else [])
    return args


def make_vars(variant):
    return list(VARIANTS[variant][2])


def build(pset, variant="base", jobs=2):
    """Build (or reuse) the harness for a parameter set and variant; returns (exe, seconds or None if reused)."""
    top = testbenches()["top"]
    mdir = OUT / f"{pset}-{variant}"
    params = top.verilog_params(params_of(pset))
    cmd = (["verilator", "-cc", "--exe", "-Mdir", str(mdir), "--top-module", top.toplevel, "--vpi",
            *PORTS_ONLY_ARGS, "--prefix", "Vtop", "-o", EXE, f"-D{ASSERT_DEFINE}", f"-I{RTL_DIR}", *model_args(variant),
            "--timescale", "{}/{}".format(*TIMESCALE)]
           + [f"-G{k}={v}" for k, v in params.items()]
           + [str(HARNESS)] + [str(s) for s in top.sources()])
    make = ["make", "-j", str(jobs), "-C", str(mdir), "-f", "Vtop.mk", *make_vars(variant)]
    stamp, exe = mdir / "command.json", mdir / EXE
    inputs = [HARNESS, *top.sources()]
    if (exe.exists() and stamp.exists() and json.loads(stamp.read_text()) == [cmd, make]
            and all(p.stat().st_mtime < exe.stat().st_mtime for p in inputs)):
        return exe, None
    if mdir.exists():
        shutil.rmtree(mdir)
    mdir.mkdir(parents=True)
    env = sim_env()
    t0 = time.perf_counter()
    with open(mdir / "build.log", "w") as log:
        for c in (cmd, make):
            rc = subprocess.run(["nice", *c], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT).returncode
            if rc:
                raise RuntimeError(f"native build {pset}/{variant} failed (exit {rc}); see {mdir / 'build.log'}")
    stamp.write_text(json.dumps([cmd, make]) + "\n")
    return exe, time.perf_counter() - t0


if __name__ == "__main__":
    exe, secs = build(sys.argv[1] if len(sys.argv) > 1 else "fast", sys.argv[2] if len(sys.argv) > 2 else "base")
    print(exe, "reused" if secs is None else f"built in {secs:.1f} s", file=sys.stderr)
