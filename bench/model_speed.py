"""Speed of the bit-exact model against plain float numpy (not a test).

Times ``gemm_acc`` in INT4-VSQ on a BERT-base-like layer (M=384, K=768,
N=768, VEC=64) against one float32 ``np.matmul`` of the same shape, and
``softermax`` on 768 columns of 384 scores against a float32 softmax. Each
pair alternates over several repetitions in one process and keeps the best
time of each side, so a burst of load from other processes hits both alike.
Goal: gemm ratio <= 4.

It measures twice, in child processes: with OpenBLAS's default threads and
with ``OPENBLAS_NUM_THREADS=1``. The second number matters on a loaded
machine: after each BLAS call OpenBLAS's worker threads keep spinning for a
while, and when every core is busy they steal time from the numpy
element-wise work that follows (one big float matmul does not suffer), so the
default-threads ratio there measures the machine's load more than the model.
The 1-minute load average is recorded with the results.

    python bench/model_speed.py [--reps N]    # writes build/bench/model_speed.json
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
M, K, N, VEC, LANES = 384, 768, 768, 64, 16
GEMM_RATIO_GOAL = 4.0


def best_of_pair(fn_a, fn_b, reps):
    """Best wall time of each of two functions over ``reps`` alternating calls."""
    fn_a()
    fn_b()
    best = [float("inf"), float("inf")]
    for _ in range(reps):
        for i, fn in enumerate((fn_a, fn_b)):
            t0 = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - t0)
    return best


def measure(reps):
    """Seconds and ratios for this process's BLAS configuration."""
    import numpy as np  # imported here so that the parent never starts BLAS threads

    sys.path.insert(0, str(ROOT))
    from models.gemm import gemm_acc
    from models.softmax import softermax

    rng = np.random.default_rng(0)
    a_q = rng.integers(-8, 8, (M, K)).astype(np.int8)
    b_q = rng.integers(-8, 8, (K, N)).astype(np.int8)
    a_s = rng.integers(0, 256, (M, K // VEC)).astype(np.uint8)
    b_s = rng.integers(0, 256, (K // VEC, N)).astype(np.uint8)
    a_f, b_f = a_q.astype(np.float32), b_q.astype(np.float32)
    scores = rng.integers(-128, 128, (M, N)).astype(np.int8)
    scores_f = scores.astype(np.float32) / 4

    def float_softmax(x):
        e = np.exp(x - x.max(axis=0))
        return e / e.sum(axis=0)

    # Softmax first: neither side calls BLAS, so no spinning BLAS workers left
    # over from the GEMM pair slow it down (see the module docstring).
    t_fsoft, t_soft = best_of_pair(lambda: float_softmax(scores_f), lambda: softermax(scores, LANES), reps)
    t_matmul, t_gemm = best_of_pair(lambda: np.matmul(a_f, b_f),
                                    lambda: gemm_acc("int4_vsq", a_q, a_s, b_q, b_s, VEC), reps)
    return {
        "gemm_acc_int4_vsq_s": t_gemm,
        "matmul_float32_s": t_matmul,
        "gemm_ratio": t_gemm / t_matmul,
        "softermax_s": t_soft,
        "softmax_float32_s": t_fsoft,
        "softmax_ratio": t_soft / t_fsoft,
    }


def run_child(reps, blas_threads):
    env = dict(os.environ)
    if blas_threads:
        env["OPENBLAS_NUM_THREADS"] = str(blas_threads)
    out = subprocess.run([sys.executable, __file__, "--child", "--reps", str(reps)],
                         env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.reps)))
        return

    load = os.getloadavg()[0]
    default, single = run_child(args.reps, None), run_child(args.reps, 1)
    result = {
        "shape": {"M": M, "K": K, "N": N, "vec": VEC, "lanes": LANES},
        "reps": args.reps,
        "cores": os.cpu_count(),
        "loadavg_1min": [load, os.getloadavg()[0]],
        "gemm_ratio_goal": GEMM_RATIO_GOAL,
        "gemm_ratio": default["gemm_ratio"],
        "gemm_ratio_blas_1_thread": single["gemm_ratio"],
        "blas_default_threads": default,
        "blas_1_thread": single,
    }
    out = ROOT / "build" / "bench" / "model_speed.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"load average {load:.2f} on {os.cpu_count()} cores")
    for label, r in (("default BLAS threads", default), ("1 BLAS thread", single)):
        print(f"{label}: gemm_acc int4_vsq {M}x{K}x{N} {r['gemm_acc_int4_vsq_s'] * 1e3:.2f} ms vs float32 matmul "
              f"{r['matmul_float32_s'] * 1e3:.2f} ms: ratio {r['gemm_ratio']:.2f} (goal <= {GEMM_RATIO_GOAL}); "
              f"softermax {r['softermax_s'] * 1e3:.2f} ms vs float softmax {r['softmax_float32_s'] * 1e3:.2f} ms: "
              f"ratio {r['softmax_ratio']:.2f}")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
