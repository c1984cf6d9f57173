"""`make run-case CASE=… OUT=… [SIM=…]`: a case through the RTL.

The case is validated exactly as the reference model validates it (a bad case
is refused with one line and exit 2). Until the accelerator top exists, the
RTL path says so and exits 1; `python -m models.run_case` runs the reference.
"""

import argparse
import sys

from models.case import CaseError, load_case


def main(argv=None):
    ap = argparse.ArgumentParser(prog="make run-case")
    ap.add_argument("case")
    ap.add_argument("-o", "--out", default="")
    ap.add_argument("--sim", default="verilator")
    args = ap.parse_args(argv)
    if not args.case:
        print("run-case: no case given (CASE=path/to/case.npz)", file=sys.stderr)
        return 2
    if not args.out:
        print("run-case: no output given (OUT=path/to/out.npz)", file=sys.stderr)
        return 2
    try:
        load_case(args.case)
    except CaseError as exc:
        print(f"run-case: {exc}", file=sys.stderr)
        return 2
    print("run-case: not yet available: the accelerator top (rtl/ top module, issue 5) is not built yet; "
          "`python -m models.run_case CASE -o OUT` runs the bit-exact reference", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
