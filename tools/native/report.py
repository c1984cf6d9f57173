"""The markdown section of bench/native_speed.py's results (build/bench/native_speed.md),
written by the step itself so the bench report can include it as it is."""


TARGETS = {"paper": 0.8, "fast": 0.5}  # issue 17's "done when": cocotb / native cycles/s


def _x(v):
    return "base" if v is None else f"{v:.2f}"


def _k(x):
    return f"{x / 1000:,.1f} k"


def markdown(r):
    lines = ["## cocotb flow vs native Verilator harness (issue 17)", "",
             f"`{r['test']}` traffic (seed {r['seed']}), Verilator, the same model flags; "
             "cycles/s over the stimulus. *wall*: per wall second (the machine is shared: see the load); "
             "*cpu*: per CPU second of the simulating process over the stimulus (model, VPI and Python). "
             "Ratio = flow / native with the same model flags, measured back to back (cocotb: the project's "
             "flags, Verilator's default C++ -Os; fast: plus tb.sim's BENCH_OPT_ARGS, C++ -O3, so its native "
             "build is the cxx-O3 variant).", "",
             "Two cocotb flows on the same traffic: *cocotb* (cocotbext-axi agents, every test's default) and "
             "*fast* (tb/topfast: the buses played by the Verilator model, Python once per frame or access); "
             "both check every result word against the model and must publish the same frames.", "",
             "| config | flow (native build) | GEMMs | cycles (flow / native per pass) | flow wall | native wall "
             "| ratio wall | flow cpu | native cpu | ratio cpu | Python share | GPI callbacks | load avg |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for pset, c in r["configs"].items():
        for p in c["pairs"]:
            for flow, pre in (("cocotb", ""), ("fast", "fast_")):
                co, na = p[flow], p[pre + "native"]
                per_pass = na["sim_cycles"] // max(1, na["repeat"])
                lines.append(
                    f"| {pset} | {flow} ({na.get('build', 'base')}) | {c['gemms']} | {co['sim_cycles']:.0f} / {per_pass} "
                    f"| {_k(co['cycles_per_s'])} | {_k(na['cycles_per_s'])} | **{p[pre + 'ratio_wall']:.3f}** "
                    f"| {_k(co['cycles_per_cpu_s'])} | {_k(na['cycles_per_cpu_s'])} | **{p[pre + 'ratio_cpu']:.3f}** "
                    f"| {co['python_share'] or 0:.0%} | {co['gpi_callbacks']} "
                    f"| {p['load_average_1min'][0]:.1f}-{p['load_average_1min'][1]:.1f} |")
    lines.append("")
    for pset, c in r["configs"].items():
        gm = c.get("generated_model", {})
        same = (f"identical ({gm['files']} files)" if gm.get("identical")
                else f"DIFFERENT: {gm.get('differing')}") if gm else "not compared"
        lines.append(f"- **{pset}**: median ratio cocotb {c['ratio_wall_median']:.3f} (wall), "
                     f"{c['ratio_cpu_median']:.3f} (cpu); fast path {c['fast_ratio_wall_median']:.3f} (wall), "
                     f"{c['fast_ratio_cpu_median']:.3f} (cpu); native {_k(c['native_cycles_per_cpu_s_median'])} "
                     f"(-Os) and {_k(c['fast_native_cycles_per_cpu_s_median'])} (-O3) cycles per CPU s, cocotb "
                     f"{_k(c['cocotb_cycles_per_cpu_s_median'])}, fast path "
                     f"{_k(c['fast_cycles_per_cpu_s_median'])}; Verilator's generated model of the cocotb and "
                     f"the native build: {same} (the fast path's is vsq_top inside its wrapper)")
    lines += ["", "Per simulated cycle (CPU µs): native; the cocotb flow with idle ports and no Python (the floor, "
              "against the native idle run); the cocotb flow; the time per cycle the issue's target allows (0.8× "
              "paper, 0.5× fast) and what of it is left for the testbench's Python once the floor (scaled to the "
              "busy model) is paid.", "",
              "| config | native (idle) | cocotb floor (idle) | floor ratio (cpu) | cocotb flow | fast path "
              "| target | time at target | left for Python |", "|---|---|---|---|---|---|---|---|---|"]
    for pset, c in r["configs"].items():
        f = c.get("idle_floor")
        if not f:
            continue
        nat = 1e6 / c["native_cycles_per_cpu_s_median"]
        flo = 1e6 * f["cocotb"]["cpu_s"] / f["cycles"]
        nat_idle = 1e6 * f["native"]["cpu_s"] / f["cycles"]
        flow = 1e6 / c["cocotb_cycles_per_cpu_s_median"]
        fast = 1e6 / c["fast_cycles_per_cpu_s_median"]  # its native (-O3): see the ratios above
        target = TARGETS.get(pset, 0.8)
        budget = nat / target
        lines.append(f"| {pset} | {nat:.2f} ({nat_idle:.2f}) | {flo:.2f} | {f['ratio_cpu']:.2f} | {flow:.2f} "
                     f"| {fast:.2f} "
                     f"| {target}× | {budget:.2f} | {budget - nat * flo / nat_idle:.2f} |")
    for pset, c in r["configs"].items():
        w = c.get("what_if_runlength")
        if w:
            cb = [x["gpi_callbacks"] for x in w["runs"]]
            lines.append(f"\nWhat-if ({pset}): stream patterns played one wake per run instead of one per clock "
                         f"(bench/native/runlength_probe): x{w['speedup_wall']:.2f} (wall), x{w['speedup_cpu']:.2f} "
                         f"(cpu); GPI callbacks {cb[0]} as it is, {cb[1]} with the what-if.")
    if r.get("variants"):
        lines += ["", "### Verilator build options (paper configuration)", "",
                  "Each variant against the base build, runs in the order base, variant, variant, base "
                  "(speed-up > 1 is faster; with --threads 2 the CPU time counts both threads).", "",
                  "| variant | native speed-up (wall) | native speed-up (cpu) | cocotb speed-up (wall) "
                  "| cocotb speed-up (cpu) | fast path speed-up (wall) | fast path speed-up (cpu) "
                  "| native build s | load avg |", "|---|---|---|---|---|---|---|---|---|"]
        for v, x in r["variants"].items():
            b = x["native_build_s"]
            lines.append(f"| {x['what']} | {x['native']['speedup_wall']:.2f} | {x['native']['speedup_cpu']:.2f} "
                         f"| {x['cocotb']['speedup_wall']:.2f} | {x['cocotb']['speedup_cpu']:.2f} "
                         f"| {_x(x['fast']['speedup_wall'])} | {_x(x['fast']['speedup_cpu'])} "
                         f"| {'reused' if b is None else f'{b:.0f}'} "
                         f"| {x['load_average_1min'][0]:.1f}-{x['load_average_1min'][1]:.1f} |")
    return "\n".join(lines) + "\n"
