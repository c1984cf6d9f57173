"""The cocotb flow against the simulator's own limit (issue 17): cycles per
second of `top_speed_bench` (cocotb + pyuvm + cocotbext-axi, Verilator) as a
fraction of a native C++ Verilator harness (bench/native/harness.cpp) that
replays the same traffic (tools/native/traffic.py: the bench's sequence and
seed, its loads, register accesses and result drain, every result word
checked against the model) on the same design, parameters and Verilator
flags (tools/native/build.py imports them from tb.sim). A benchmark: nothing
about speed is asserted; a failed check (either flow) fails the step.

Per configuration (fast, paper), back to back: the cocotb job, then the
native harness (the traffic replayed REPEAT times, so that it runs about a
CPU second). Two measures of speed:
- wall: simulated cycles / wall seconds over the stimulus, as sim_speed;
- cpu: simulated cycles / CPU seconds of the process. The machine is
  shared, so wall time depends on the others' load; CPU time much less.
  Native: the harness's own process CPU time over the stimulus. cocotb: the
  simulator process's CPU time over the stimulus (time.process_time in the
  bench: the model, VPI and Python together).
`rounds` pairs per configuration; the report gives each pair and the median.
The floor: the same model clocked with idle ports and no Python running
(tools/native/idle_floor.py under cocotb, the harness's --idle natively),
back to back: what the cocotb flow costs on the simulator's side alone.
What-if (bench/native/runlength_probe): the cocotb job with its stream
patterns played one wake per run instead of one per clock, same patterns and
checks, against the job as it is.

Build options (--variants, paper configuration): each variant of
tools/native/build.py (Verilator -O3, C++ -O3, --x-assign fast, --threads 2)
built for the native harness and for the cocotb flow
(tools/native/cocotb_variant.py) and timed against the base build in the
order base, variant, variant, base (native and cocotb alike).

Writes build/bench/native_speed.json and native_speed.md (its own section of
the report; tools/bench_report.py can include the markdown as it is).

    .venv/bin/python bench/native_speed.py [--configs fast,paper] [--gemms fast=32,paper=8]
        [--rounds 2] [--variants all|none|NAME,..] [--seed 1]
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tools.native.build import VARIANTS, build  # noqa: E402
from tools.native.report import markdown  # noqa: E402
from tools.native.traffic import TEST, export  # noqa: E402
from tb.common.params import PARAM_SETS, param_set  # noqa: E402
from tb.sim import sim_env  # noqa: E402

OUT = REPO / "build" / "bench"
WORK = OUT / "native"
RUNLENGTH = REPO / "bench" / "native" / "runlength_probe"
# The two cocotb flows on the same traffic: cocotbext-axi agents (the default of
# every test) and the fast path (tb/topfast: the buses played by the model).
FLOWS = {"cocotb": TEST, "fast": "top_fast_speed_bench"}
# The native build each flow is compared with: the same model flags (the fast
# path's bench is built with tb.sim's BENCH_OPT_ARGS, the cxx-O3 variant's).
NATIVE_OF = {"cocotb": "base", "fast": "cxx-O3"}


def load():
    return round(os.getloadavg()[0], 2)


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def cocotb_job(pset, seed, gemms, env, variant="base", tag="", what_if=False, flow="cocotb"):
    """One top_speed_bench job (flow "cocotb": cocotbext-axi; "fast": the fast
    path, top_fast_speed_bench) through tb.sim, or cocotb_variant for a build
    variant: its JSON result with job_s and cpu_s (the job's CPU, simulator included)."""
    out_dir = WORK / "runs" / f"{flow}-{pset}-{variant}{tag}"
    result = out_dir / f"{TEST}.json"
    result.unlink(missing_ok=True)
    mod = ["-m", "tb.sim"] if variant == "base" else ["-m", "tools.native.cocotb_variant", variant]
    cmd = [sys.executable, *mod, "--test", FLOWS[flow], "--sim", "verilator", "--params", pset, "--seed", str(seed),
           "--out", str(out_dir)]
    env = dict(env, VSQ_SPEED_GEMMS=str(gemms))
    if what_if:  # bench/native/runlength_probe: stream patterns played one wake per run
        env.update(VSQ_RUNLENGTH_PROBE="1", PYTHONPATH=os.pathsep.join([str(RUNLENGTH), env.get("PYTHONPATH", "")]))
    cpu0, t0 = children_cpu(), time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
    job_s, cpu = time.perf_counter() - t0, children_cpu() - cpu0
    if proc.returncode != 0 or not result.exists():
        raise RuntimeError(f"{FLOWS[flow]} {pset}/{variant} job failed (exit {proc.returncode}): "
                           f"{(proc.stdout + proc.stderr).strip()[-800:]}; see {out_dir / 'sim.log'}")
    r = json.loads(result.read_text())
    r.update(job_s=job_s, cpu_s=cpu, log=str(out_dir / "sim.log"))
    return r


def native_run(exe, traffic, repeat):
    proc = subprocess.run([str(exe), str(traffic), str(repeat)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"native harness {exe} failed (exit {proc.returncode}): {proc.stderr.strip()[-800:]}")
    return json.loads(proc.stdout)


def calibrate(exe, traffic, cpu_target=1.0):
    """REPEAT that makes the native run about cpu_target CPU seconds."""
    one = native_run(exe, traffic, 1)
    return max(1, min(2000, round(cpu_target / max(one["cpu_s"], 1e-4))))


def cpu_rate(job, one):
    """Cycles per CPU second of a cocotb job: the simulator process's CPU over the
    stimulus (the bench's own window); without it, beyond its flow's 1-GEMM job."""
    if job.get("cpu_window_s"):
        return job["sim_cycles"] / job["cpu_window_s"]
    return (job["sim_cycles"] - one["sim_cycles"]) / max(job["cpu_s"] - one["cpu_s"], 1e-6)


def pair(pset, seed, gemms, env, exes, traffic, repeats, baseline, variant="base"):
    """Per flow (the cocotbext-axi flow, the fast path) the cocotb job then its
    native build (`exes`, `repeats` by flow), back to back; their speeds and
    ratios (`baseline`: each flow's 1-GEMM job)."""
    l0 = load()
    out, jobs = {"variant": variant}, {}
    for flow in FLOWS:
        c = jobs[flow] = cocotb_job(pset, seed, gemms, env, variant, flow=flow)
        n = native_run(exes[flow], traffic, repeats[flow])
        n_cpu = n["sim_cycles"] / n["cpu_s"]
        c_cpu = cpu_rate(c, baseline[flow])
        pre = "" if flow == "cocotb" else f"{flow}_"
        out[pre + "native"] = n | {"cycles_per_cpu_s": n_cpu, "build": NATIVE_OF[flow]}
        out[flow] = ({k: c[k] for k in ("sim_cycles", "wall_s", "cycles_per_s", "python_share", "job_s", "cpu_s",
                                        "gpi_callbacks", "result_digest")} | {"cycles_per_cpu_s": c_cpu})
        out[pre + "ratio_wall"] = c["cycles_per_s"] / n["cycles_per_s"]
        out[pre + "ratio_cpu"] = c_cpu / n_cpu
    out["load_average_1min"] = [l0, load()]
    out["same_result_frames"] = jobs["fast"]["result_digest"] == jobs["cocotb"]["result_digest"]
    if not out["same_result_frames"]:
        raise RuntimeError(f"{pset}: the fast path published other result frames than the cocotbext-axi flow "
                           f"(see {jobs['fast']['log']}, {jobs['cocotb']['log']})")
    return out


def same_model(pset, exe):
    """Whether the Verilator-generated model (Vtop*.cpp, Vtop*.h) of the cocotb
    build and of the native one are byte-identical: the flags are the same."""
    cocotb_dir = REPO / "build" / "sim" / "top" / f"verilator-{pset}"
    files = sorted(cocotb_dir.glob("Vtop*.cpp")) + sorted(cocotb_dir.glob("Vtop*.h"))
    diff = [f.name for f in files if (exe.parent / f.name).read_bytes() != f.read_bytes()
            ] if all((exe.parent / f.name).exists() for f in files) else ["(files missing)"]
    return {"files": len(files), "identical": not diff and bool(files), "differing": diff}


def floor(pset, cycles, env, exe):
    """Idle floor, cocotb then native, back to back."""
    l0 = load()
    proc = subprocess.run([sys.executable, "-m", "tools.native.idle_floor", pset, str(cycles),
                           str(WORK / "runs" / f"idle-{pset}")], cwd=REPO, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"idle floor {pset} failed: {(proc.stdout + proc.stderr).strip()[-600:]}")
    c = json.loads(proc.stdout.strip().splitlines()[-1])
    n = native_run(exe, "--idle", cycles)
    return {"cycles": cycles, "load_average_1min": [l0, load()], "cocotb": c, "native": n,
            "ratio_wall": c["cycles_per_s"] / n["cycles_per_s"], "ratio_cpu": n["cpu_s"] / c["cpu_s"]}


def what_if_runlength(pset, seed, g, env, one):
    """The cocotb job as it is and with its stream patterns played one wake per run
    (bench/native/runlength_probe), in the order as-is, what-if, what-if, as-is."""
    runs = [cocotb_job(pset, seed, g, env, tag=f"-whatif{i}", what_if=w)
            for i, w in enumerate((False, True, True, False))]

    def cpu_rate(r):
        return (r["sim_cycles"] - one["sim_cycles"]) / max(r["cpu_s"] - one["cpu_s"], 1e-6)

    base, probe = (runs[0], runs[3]), (runs[1], runs[2])
    return {"runs": [{k: r[k] for k in ("sim_cycles", "cycles_per_s", "python_share", "gpi_callbacks", "cpu_s")}
                     for r in runs],
            "speedup_wall": sum(r["cycles_per_s"] for r in probe) / sum(r["cycles_per_s"] for r in base),
            "speedup_cpu": sum(cpu_rate(r) for r in probe) / sum(cpu_rate(r) for r in base)}


def summary(pairs):
    med = statistics.median
    out = {}
    for flow in FLOWS:
        pre = "" if flow == "cocotb" else f"{flow}_"
        out |= {f"{pre}native_cycles_per_s_median": med(p[pre + "native"]["cycles_per_s"] for p in pairs),
                f"{pre}native_cycles_per_cpu_s_median": med(p[pre + "native"]["cycles_per_cpu_s"] for p in pairs),
                f"{pre}ratio_wall_median": med(p[pre + "ratio_wall"] for p in pairs),
                f"{pre}ratio_cpu_median": med(p[pre + "ratio_cpu"] for p in pairs),
                f"{flow}_cycles_per_s_median": med(p[flow]["cycles_per_s"] for p in pairs),
                f"{flow}_cycles_per_cpu_s_median": med(p[flow]["cycles_per_cpu_s"] for p in pairs),
                f"{flow}_python_share_median": med(p[flow]["python_share"] or 0 for p in pairs)}
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--configs", default="fast,paper")
    ap.add_argument("--gemms", default="fast=32,paper=8", help="GEMMs per run (the first 16 / 4 are sim_speed's)")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--variants", default="all", help="build option variants timed in the paper configuration")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    env = sim_env(dict(os.environ, PYTHONPATH=str(REPO)))
    (OUT / "native_speed.md").unlink(missing_ok=True)  # an old section must not pass for this run's
    try:
        gemms = {k: int(v) for k, v in (kv.split("=") for kv in args.gemms.split(",") if kv)}
    except ValueError:
        ap.error(f"--gemms takes CONFIG=N[,CONFIG=N], got '{args.gemms}'")
    variants = ([] if args.variants == "none" else
                [v for v in VARIANTS if v != "base"] if args.variants == "all" else args.variants.split(","))
    bad = [c for c in args.configs.split(",") if c not in PARAM_SETS] + [v for v in variants if v not in VARIANTS]
    if bad:
        ap.error(f"unknown configuration or variant {bad} (known: {', '.join(PARAM_SETS)}; {', '.join(VARIANTS)})")
    result = {"test": TEST, "seed": args.seed, "cores": os.cpu_count(), "configs": {}, "variants": {},
              "method": __doc__.split("\n\n")[1:3]}
    try:
        for pset in args.configs.split(","):
            g = gemms.get(pset, 4)
            traffic = WORK / f"traffic-{pset}.bin"
            info = export(traffic, pset, param_set(pset), args.seed, g)
            for bench in ("top", "topfast"):
                subprocess.run([sys.executable, "-m", "tb.sim", "--build-only", bench, "--sim", "verilator",
                                "--params", pset], cwd=REPO, env=env, check=True, capture_output=True)
            exe, secs = build(pset)
            exes = {flow: build(pset, NATIVE_OF[flow])[0] for flow in FLOWS}
            repeats = {flow: calibrate(e, traffic) for flow, e in exes.items()}
            repeat = repeats["cocotb"]
            ones = {flow: cocotb_job(pset, args.seed, 1, env, tag="-1gemm", flow=flow) for flow in FLOWS}
            one = ones["cocotb"]
            pairs = [pair(pset, args.seed, g, env, exes, traffic, repeats, ones) for _ in range(args.rounds)]
            idle_cycles = {"fast": 600000}.get(pset, 150000)
            result["configs"][pset] = {"gemms": g, "traffic": {k: v for k, v in info.items() if k != "jobs"},
                                       "jobs": info["jobs"], "native_build_s": secs, "repeat": repeat,
                                       "generated_model": same_model(pset, exe),
                                       "one_gemm_job": {k: one[k] for k in ("sim_cycles", "cpu_s", "job_s")},
                                       "one_gemm_job_fast": {k: ones["fast"][k] for k in ("sim_cycles", "cpu_s", "job_s")},
                                       "pairs": pairs, **summary(pairs),
                                       "idle_floor": floor(pset, idle_cycles, env, exe),
                                       "what_if_runlength": what_if_runlength(pset, args.seed, g, env, one)}
            c = result["configs"][pset]
            print(f"native_speed: {pset}: cocotb/native {c['ratio_wall_median']:.3f} (wall), "
                  f"{c['ratio_cpu_median']:.3f} (cpu); fast path/native {c['fast_ratio_wall_median']:.3f} (wall), "
                  f"{c['fast_ratio_cpu_median']:.3f} (cpu)", flush=True)
        if variants and "paper" in result["configs"]:
            result["variants"] = time_variants(variants, args.seed, gemms.get("paper", 4), env, result)
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        print(f"native_speed: {exc}", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "native_speed.json").write_text(json.dumps(result, indent=1) + "\n")
    (OUT / "native_speed.md").write_text(markdown(result))
    print(f"wrote {(OUT / 'native_speed.json').relative_to(REPO)}, native_speed.md")
    return 0


def time_variants(variants, seed, g, env, result):
    """Per build variant (paper): native and both cocotb flows' speed against the
    base build, in the order base, variant, variant, base (a drift in the
    machine's load cancels to first order); speed-up = mean variant speed / mean base speed."""
    pset, base = "paper", result["configs"]["paper"]
    traffic, out = WORK / "traffic-paper.bin", {}
    ones = {"cocotb": base["one_gemm_job"], "fast": base["one_gemm_job_fast"]}
    base_exe, _ = build(pset)

    def mean(xs):
        return sum(xs) / len(xs)

    def rate(runs):
        return mean([r["cycles_per_s"] for r in runs])

    for v in variants:
        exe, secs = build(pset, v)
        t0 = time.perf_counter()  # the cocotb flows' models of the variant, built (niced) before they are timed
        for bench in ("top", "topfast"):
            subprocess.run(["nice", sys.executable, "-m", "tools.native.cocotb_variant", v, "--build-only", bench,
                            "--sim", "verilator", "--params", pset], cwd=REPO, env=env, check=True,
                           capture_output=True)
        cocotb_build_s = time.perf_counter() - t0
        l0 = load()
        n = [native_run(e, traffic, base["repeat"]) for e in (base_exe, exe, exe, base_exe)]
        nb, nv = (n[0], n[3]), (n[1], n[2])
        out[v] = {"what": VARIANTS[v][0], "native_build_s": secs, "cocotb_build_s": cocotb_build_s,
                  "native_runs": n,
                  "native": {"speedup_wall": rate(nv) / rate(nb),
                             "speedup_cpu": mean([r["cpu_s"] for r in nb]) / mean([r["cpu_s"] for r in nv])}}
        for flow, one in ones.items():
            if v == NATIVE_OF[flow]:  # the flow's own flags already: nothing to compare
                out[v][flow] = {"speedup_wall": None, "speedup_cpu": None, "note": "the flow's base build"}
                continue
            c = [cocotb_job(pset, seed, g, env, variant=x, tag=f"-{i}", flow=flow)
                 for i, x in enumerate(("base", v, v, "base"))]
            cb, cv = (c[0], c[3]), (c[1], c[2])
            out[v][f"{flow}_runs"] = [{k: r[k] for k in ("sim_cycles", "wall_s", "cycles_per_s", "cpu_s", "job_s")}
                                      for r in c]
            out[v][flow] = {"speedup_wall": rate(cv) / rate(cb),
                            "speedup_cpu": mean([cpu_rate(r, one) for r in cv]) / mean([cpu_rate(r, one) for r in cb])}
        out[v]["load_average_1min"] = [l0, load()]
        x = out[v]
        print(f"native_speed: variant {v}: " + ", ".join(
            f"{k} x{x[k]['speedup_wall']:.2f} (wall) x{x[k]['speedup_cpu']:.2f} (cpu)"
            for k in ("native", *FLOWS) if x[k]["speedup_wall"] is not None), flush=True)
    return out


if __name__ == "__main__":
    sys.exit(main())
