"""Make the repository root importable so that plain ``pytest`` finds ``models``
(``python -m pytest`` already puts the working directory on sys.path)."""

import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
