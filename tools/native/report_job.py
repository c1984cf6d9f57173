"""The markdown section of bench/job_time.py's results (build/bench/job_time.md),
written by the step itself so the bench report can include it as it is."""


def markdown(r):
    j, med = r["job"], r["median"]
    la = r["load_average_1min"]
    lines = ["## Where a job's time goes (issue 17)", "",
             f"`make sim TEST={j['test']} SIM={j['sim']} PARAMS={j['params']} SEED={j['seed']}`: "
             f"median of {len(r['runs'])} runs, {med['job_s']:.2f} s wall (load average {la[0]:.1f}-{la[1]:.1f} "
             f"on {r['cores']} cores); the simulation (the test's phases less the coverage write) is "
             f"{med['simulation_share']:.0%} of it.", "",
             "| stage | seconds | share |", "|---|---|---|"]
    for stage, s in med["stages"].items():
        lines.append(f"| {stage} | {s:.3f} | {s / med['job_s']:.0%} |")
    for side in ("job", "simulator"):
        imp = r["imports"][side]
        top = ", ".join(f"{name} {s:.2f}" for name, s in imp["top"][:8])
        lines.append(f"\nHeaviest imports of the {side}'s Python (top level, s; total {imp['total_s']:.2f} s): {top}")
    p, f = r.get("profile"), r.get("profile_fast")
    if p and f and p.get("buckets") and f.get("buckets"):
        names = list(dict.fromkeys(list(p["buckets"]) + list(f["buckets"])))
        lines += ["", f"### Where the Python time goes, by job ({p['params']}, {p['gemms']} GEMMs, cProfile)", "",
                  "Own time of the profiled Python by what it does for the testbench; built-ins, the standard "
                  "library and numpy count for the callers that spent it (a VPI write counts for the agent). "
                  "cocotbext-axi flow (`top_speed_bench`) and the fast path (`top_fast_speed_bench`, tb/topfast) "
                  f"on the same traffic: {p['sim_cycles']:.0f} / {f['sim_cycles']:.0f} cycles. "
                  "The late imports and the coverage export happen after the stimulus (final phase).", "",
                  "| bucket | cocotbext-axi s | µs/cycle | fast path s | µs/cycle |", "|---|---|---|---|---|"]
        for n in names:
            a, b = p["buckets"].get(n, 0.0), f["buckets"].get(n, 0.0)
            lines.append(f"| {n} | {a:.3f} | {1e6 * a / p['sim_cycles']:.2f} | {b:.3f} "
                         f"| {1e6 * b / f['sim_cycles']:.2f} |")
        lines.append(f"| total | {p['profiled_python_s']:.3f} | {1e6 * p['profiled_python_s'] / p['sim_cycles']:.2f} "
                     f"| {f['profiled_python_s']:.3f} | {1e6 * f['profiled_python_s'] / f['sim_cycles']:.2f} |")
    if p:
        lines += ["", f"### Profile of the Python side: {p['test']}, {p['params']}, {p['gemms']} GEMMs", "",
                  f"{p['sim_cycles']:.0f} cycles; {p['profiled_python_s']:.2f} s of profiled Python in "
                  f"{p['wall_s_profiled']:.2f} s of wall time (with the profiler's own overhead; load average "
                  f"{p['load_average_1min'][0]:.1f}). Own time per package: "
                  + ", ".join(f"{k} {v:.2f} s" for k, v in p["own_time_by_package"].items()) + ".", "",
                  "| function (top by cumulative time) | calls | calls/cycle | own s | cumulative s |",
                  "|---|---|---|---|---|"]
        for row in p["top_cumulative"][:15]:
            lines.append(f"| `{row['function']}` | {row['calls']} | {row['calls_per_cycle']:.2f} "
                         f"| {row['own_s']:.3f} | {row['cumulative_s']:.3f} |")
        lines += ["", "| function (top by own time) | calls | calls/cycle | own s | cumulative s |",
                  "|---|---|---|---|---|"]
        for row in p["top_own"][:15]:
            lines.append(f"| `{row['function']}` | {row['calls']} | {row['calls_per_cycle']:.2f} "
                         f"| {row['own_s']:.3f} | {row['cumulative_s']:.3f} |")
    return "\n".join(lines) + "\n"
