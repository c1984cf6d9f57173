"""Accuracy of the bit-exact Softermax model against an exact float softmax
(a benchmark, not a test: nothing is asserted).

For Gaussian score columns s ~ N(0, sigma^2) in natural-log units (sigma =
0.5, 1, 2, 4) of length L = 64, 128, 384, the hardware's input is
x = clip(rint(4 * log2(e) * s), -128, 127): the host folds log2(e) into the
PPU scale (numerics.md §4) and the PPU hands the softmax Q5.2 base-2
exponents. The model's output p = probs / 128 (Q1.7) is compared with

- `exact`: the float64 softmax of the unquantized scores s (end-to-end error,
  including the Q5.2 input rounding and clamping), and
- `same_input`: the float64 softmax of the quantized input, exp2(x/4)
  normalized (the error of the Softermax arithmetic alone).

Per (sigma, L): mean and max absolute error per probability, and the mean,
min and max of each column's sum of p (an exact softmax sums to 1).
Block size B = 16, the paper configuration's LANES (the block size is part
of the contract, numerics.md §6).

    python bench/softmax_accuracy.py [--cols N] [--block B] [--seed S]
        # writes build/bench/softmax_accuracy.json and prints the table
"""

import argparse
import json
import pathlib
import sys

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models.softmax import softermax  # noqa: E402

SIGMAS = (0.5, 1.0, 2.0, 4.0)
LENGTHS = (64, 128, 384)
LOG2E = float(np.log2(np.e))


def float_softmax(z):
    """Softmax over axis 0 of float64 z [L, N]."""
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def one_case(rng, sigma, L, cols, block):
    s = rng.normal(0.0, sigma, size=(L, cols))
    x = np.clip(np.rint(4 * LOG2E * s), -128, 127).astype(np.int64)
    p = softermax(x, block).astype(np.float64) / 128.0
    ref_exact = float_softmax(s)
    ref_same = float_softmax(x * (np.log(2.0) / 4.0))
    sums = p.sum(axis=0)
    out = {"sigma": sigma, "L": L, "columns": cols, "block": block,
           "input_clamped_fraction": float(np.mean((x == -128) | (x == 127)))}
    for name, ref in (("exact", ref_exact), ("same_input", ref_same)):
        err = np.abs(p - ref)
        out[name] = {"mean_abs_err": float(err.mean()), "max_abs_err": float(err.max())}
    out["column_sum"] = {"mean": float(sums.mean()), "min": float(sums.min()), "max": float(sums.max())}
    out["zero_fraction"] = float(np.mean(p == 0))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cols", type=int, default=2000, help="columns per (sigma, L)")
    ap.add_argument("--block", type=int, default=16, help="Softermax block size B (= LANES)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    results = [one_case(rng, sigma, L, args.cols, args.block) for sigma in SIGMAS for L in LENGTHS]

    out_dir = ROOT / "build" / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "softmax_accuracy.json"
    path.write_text(json.dumps({"seed": args.seed, "results": results}, indent=1))

    hdr = (f"{'sigma':>5} {'L':>4} | {'mean|err|':>10} {'max|err|':>9} | {'same-input mean':>15} {'max':>8} | "
           f"{'sum mean':>8} {'min':>6} {'max':>6} | {'p=0':>5}")
    print(f"Softermax (B={args.block}, Q5.2 in, Q1.7 out) vs float64 softmax, {args.cols} Gaussian columns each")
    print(hdr)
    print("-" * len(hdr))
    for r in results:
        e, q, c = r["exact"], r["same_input"], r["column_sum"]
        print(f"{r['sigma']:>5} {r['L']:>4} | {e['mean_abs_err']:>10.5f} {e['max_abs_err']:>9.5f} | "
              f"{q['mean_abs_err']:>15.5f} {q['max_abs_err']:>8.5f} | "
              f"{c['mean']:>8.4f} {c['min']:>6.3f} {c['max']:>6.3f} | {r['zero_fraction']:>5.2f}")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
