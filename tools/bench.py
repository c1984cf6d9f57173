"""`make bench`: runs every benchmark script in bench/ (each writes its own
JSON into build/bench/) and gathers them into build/bench/bench.json.
Numbers are measured on this machine in this run; nothing here is asserted."""

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "build" / "bench"


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    status = 0
    for script in sorted((REPO / "bench").glob("*.py")):
        print(f"bench: {script.name}", flush=True)
        rc = subprocess.run([sys.executable, str(script)], cwd=REPO, env=env).returncode
        if rc != 0:
            print(f"bench: {script.name} failed (exit {rc})", file=sys.stderr)
            status = 1
    merged = {"machine": {"cores": os.cpu_count()}}
    for f in sorted(OUT.glob("*.json")):
        if f.name != "bench.json":
            merged[f.stem] = json.loads(f.read_text())
    (OUT / "bench.json").write_text(json.dumps(merged, indent=1))
    print(f"bench: {OUT / 'bench.json'}")
    return status


if __name__ == "__main__":
    sys.exit(main())
