"""``python -m models.run_case CASE.npz -o OUT.npz`` — the bit-exact reference.

Every refusal (illegal case, unreadable input, unwritable output, bad
command line) is one line ``run_case: <message>`` on stderr and exit code 2,
never a traceback. The output is written atomically.
"""

import argparse
import sys

from .case import CaseError, load_case, run_case, save_outputs

EXIT_REFUSED = 2


class _OneLineParser(argparse.ArgumentParser):
    """argparse whose usage errors follow the one-line rule above."""

    def error(self, message):
        print(f"run_case: {message}", file=sys.stderr)
        sys.exit(EXIT_REFUSED)


def main(argv=None):
    parser = _OneLineParser(prog="python -m models.run_case", description=__doc__.splitlines()[0])
    parser.add_argument("case", help="case .npz to run")
    parser.add_argument("-o", "--output", required=True, help="outputs .npz to write")
    args = parser.parse_args(argv)
    try:
        save_outputs(args.output, run_case(load_case(args.case)))
    except CaseError as exc:
        print(f"run_case: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except OSError as exc:
        print(f"run_case: {args.output}: cannot write output ({exc.strerror or exc})", file=sys.stderr)
        return EXIT_REFUSED
    return 0


if __name__ == "__main__":
    sys.exit(main())
