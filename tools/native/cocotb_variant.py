"""`python -m tools.native.cocotb_variant VARIANT [tb.sim arguments]`: tb.sim
(`python -m tb.sim --test ... --sim verilator ...`, unchanged) with the
Verilator model built with one build option variant of tools/native/build.py
(VARIANTS), in its own build directory (<the usual one>-<VARIANT>), so the
project's builds stay as they are. Used by bench/native_speed.py to time the
cocotb flow under the same build options as the native harness.

It swaps two module globals of tb.sim before running its main: the
Verilator arguments (VERILATOR_ARGS) and the build directory (build_dir);
the make variables of a variant (e.g. OPT_FAST=-O3) reach cocotb's `make` of
the model through MAKEFLAGS.
"""

import os
import sys

import tb.sim as sim
from tools.native.build import VARIANTS, make_vars, model_args


def main(argv):
    if not argv or argv[0] not in VARIANTS:
        print(f"cocotb_variant: first argument must be a variant ({', '.join(VARIANTS)})", file=sys.stderr)
        return 2
    variant, rest = argv[0], argv[1:]
    if variant != "base":
        sim.VERILATOR_ARGS = tuple(model_args(variant))
        usual = sim.build_dir
        sim.build_dir = lambda *a: usual(*a).with_name(usual(*a).name + "-" + variant)
        if make_vars(variant):
            os.environ["MAKEFLAGS"] = " ".join(["--", *make_vars(variant)])
    return sim.main(rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
