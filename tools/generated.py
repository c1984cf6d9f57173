"""The one way a committed generated file is kept current: its module renders
the whole text, `python -m <module>` writes it when it changed, and
`python -m <module> --check` exits 1 with one line when it is stale (tests
and `make ip` call the check)."""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def is_current(path, text):
    return path.exists() and path.read_text() == text


def main(argv, path, render, module, what=None):
    """The command line of a generated file: `render()` gives its full text."""
    argv = sys.argv[1:] if argv is None else argv
    what = what or str(Path(path).relative_to(REPO))
    text = render()
    if "--check" in argv:
        if is_current(path, text):
            return 0
        print(f"{module}: {what} is stale: run `python -m {module}`", file=sys.stderr)
        return 1
    if not is_current(path, text):
        Path(path).write_text(text)
        print(f"{module}: wrote {what}")
    return 0
