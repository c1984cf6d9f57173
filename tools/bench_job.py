"""One timed runner job of a benchmark script: `python -m tb.sim --test TEST`
into a fresh run directory, returning the process, the job's wall seconds
and the test's JSON result (<out_dir>/<TEST>.json; None if the job failed or
wrote none). Each caller reports a failure its own way."""

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run_test_job(test, sim, params, seed, out_dir, env):
    if out_dir.exists():
        shutil.rmtree(out_dir)
    cmd = [sys.executable, "-m", "tb.sim", "--test", test, "--sim", sim, "--params", params,
           "--seed", str(seed), "--out", str(out_dir)]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
    job_s = time.perf_counter() - t0
    result_file = out_dir / f"{test}.json"
    if proc.returncode != 0 or not result_file.exists():
        return proc, job_s, None
    return proc, job_s, json.loads(result_file.read_text())
