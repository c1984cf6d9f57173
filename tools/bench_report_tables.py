"""The tables of the bench report (rows of strings) and its markdown / HTML writers (tools/bench_report.py)."""

import html


def pct(x, digits=1):
    return "–" if x is None else f"{100 * x:.{digits}f} %"


def num(x, digits=0):
    return "–" if x is None else f"{x:,.{digits}f}"


def util_table(util, layers, goal):
    head = ["shape", "M×N×K (GEMM)", "mode → out", "tiles (first M_t×N_t, loop order)", "steady", "end-to-end",
            f"steady ≥ {pct(goal, 0)}"]
    rows = []
    for name, r in (util or {}).items():
        if r.get("steady") is None:
            rows.append([name, "", "", "", "–", "–", f"not run: {r.get('infeasible', '')}"])
            continue
        pad = "" if r["useful_fraction"] == 1 else f" (K padded to {r['padded']['K']})"
        tile = "×".join(r["tile_classes"][0].split("-")[0].split("x")[:2]) if r.get("tile_classes") else ""
        rows.append([name, f"{r['M']}×{r['N']}×{r['K']}{pad}", f"{r['mode']} → {r['out_mode']}",
                     (f"{r['tiles']} ({tile}, {r.get('order', '').replace('_', '-')})" if r["tiles"] > 1 else
                      f"1 ({tile})") if tile else str(r["tiles"]),
                     pct(r["steady"], 2), pct(r["end_to_end"], 2), "met" if r["goal_met"] else "**missed**"])
    for name, lay in (layers or {}).items():
        rows.append([f"{name} (all GEMMs of a layer)", "", "", "", pct(lay["steady"], 2), pct(lay["end_to_end"], 2),
                     "met" if lay["steady"] >= goal else "missed"])
    return head, rows


def speed_table(speed):
    head = ["simulator", "configuration", "simulated cycles / s", "Python share of wall time", "cycles", "wall s",
            "job s", "build s"]
    rows = []
    for key, r in (speed or {}).get("runs", {}).items():
        if not r.get("passed"):
            rows.append([r["sim"], r["param_set"], "failed", "", "", "", num(r.get("job_s"), 1), ""])
            continue
        b = r.get("build", {})
        build = f"{b['seconds']:.0f}" + ("" if b.get("rebuilt") else " (reused)") if b else ""
        rows.append([r["sim"], r["param_set"], num(r["cycles_per_s"]), pct(r["python_share"]), num(r["sim_cycles"]),
                     num(r["wall_s"], 1), num(r["job_s"], 1), build])
    return head, rows


CELL_BLOCKS = [("lane_int4", "lane, INT4 only"), ("lane_int4_vsq", "lane, INT4 + VSQ"),
               ("lane_int4_int8_vsq", "lane, INT4 + INT8 + VSQ"),
               ("engine", "engine (lanes, collector, control; A/B buffers as memory bits)"),
               ("ppu_with_softmax", "PPU (with the softmax unit)"), ("softmax", "softmax unit"),
               ("top_one_bank", "top, one bank per buffer, queue of 1 (no overlap)"),
               ("top", "top, two banks, queue of 2 (overlap, as built)")]


def cells_table(cells):
    psets = [p for p in ("fast", "paper") if p in (cells or {})]
    head = ["block"] + [f"{p}: {c}" for p in psets for c in ("cells", "GE (NAND2)", "flops", "memory bits")]
    rows = []
    for b, label in CELL_BLOCKS:
        row = [label]
        for p in psets:
            r = cells[p].get(b)
            row += [num(r["cells"]), num(r["gate_equivalents"]), num(r["flops"]), num(r["memory_bits"])] if r else \
                ["–"] * 4
        rows.append(row)
    return head, rows


def md_table(head, rows):
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def html_table(head, rows):
    def cell(c):
        c = html.escape(str(c))
        return c.replace("**missed**", "<b class=miss>missed</b>")
    out = ["<table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in head) + "</tr>"]
    out += ["<tr>" + "".join(f"<td>{cell(c)}</td>" for c in r) + "</tr>" for r in rows]
    return "\n".join(out) + "</table>"


def model_rows(model):
    if not model:
        return ["measure", "value"], []
    s = model["shape"]
    macs = s["M"] * s["K"] * s["N"]
    rows = []
    for label, key in (("default BLAS threads", "blas_default_threads"), ("1 BLAS thread", "blas_1_thread")):
        r = model[key]
        gemm_s, mm_s = r["gemm_acc_int4_vsq_s"], r["matmul_float32_s"]
        rows.append([label, f"{gemm_s * 1e3:.1f} ms ({macs / gemm_s / 1e9:.1f} GMAC/s)",
                     f"{mm_s * 1e3:.1f} ms ({macs / mm_s / 1e9:.1f} GMAC/s)", f"{r['gemm_ratio']:.2f}",
                     f"{r['softermax_s'] * 1e3:.2f} ms", f"{r['softmax_float32_s'] * 1e3:.2f} ms",
                     f"{r['softmax_ratio']:.1f}"])
    head = ["BLAS", f"int4_vsq gemm_acc {s['M']}×{s['K']}×{s['N']}", "float32 matmul", "ratio", "softermax",
            "float32 softmax", "ratio"]
    return head, rows


def engine_table(eng):
    """The engine-alone benchmark's rows (bench/engine_utilization.py), or None."""
    if not (eng and eng.get("utilization_paper_verilator")):
        return None
    return (["M", "N", "K", "mode", "cyc_total", "cyc_mac", "utilization"],
            [[r["M"], r["N"], r["K"], r["mode"], r["cyc_total"], r["cyc_mac"], pct(r["utilization"], 2)]
             for r in eng["utilization_paper_verilator"]])


def write_md(out, meta, sections, made, missed, notes):
    lines = ["# make bench: performance and hardware cost", "", meta, ""]
    lines += ["## Goals missed and why", ""] + [f"- {m}" for m in missed or ["none"]] + [""]
    lines += ["## Notes", ""] + [f"- {n}" for n in notes] + [""]
    for title, table, plot, text in sections:
        if title:
            lines += [f"## {title}", ""]
        if text:
            lines += [text, ""]
        if table and table[1]:
            lines += [md_table(*table), ""]
        if plot and plot in made:
            lines += [f"![{plot}]({made[plot]})", ""]
    (out / "report.md").write_text("\n".join(lines))


def write_html(out, meta, sections, made, missed, notes):
    css = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}"
           "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 8px;"
           "font-size:13px;text-align:left}th{background:#eee}.miss{color:#b00}img{max-width:100%}")
    body = [f"<h1>make bench: performance and hardware cost</h1><p>{html.escape(meta)}</p>",
            "<h2>Goals missed and why</h2><ul>" + "".join(f"<li>{html.escape(m)}</li>" for m in missed or ["none"])
            + "</ul>", "<h2>Notes</h2><ul>" + "".join(f"<li>{html.escape(n)}</li>" for n in notes) + "</ul>"]
    for title, table, plot, text in sections:
        if title:
            body.append(f"<h2>{html.escape(title)}</h2>")
        if text:
            body.append(f"<p>{html.escape(text)}</p>")
        if table and table[1]:
            body.append(html_table(*table))
        if plot and plot in made:
            body.append(f'<img src="{made[plot]}" alt="{plot}">')
    (out / "report.html").write_text(f"<!doctype html><html><head><meta charset=utf-8><title>make bench</title>"
                                     f"<style>{css}</style></head><body>{''.join(body)}</body></html>\n")
