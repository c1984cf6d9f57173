"""The plots of the bench report (PNG, matplotlib; tools/bench_report.py)."""

from tools.bench_report_tables import CELL_BLOCKS


def legend_below(fig, ax, ncol):
    """The axes' legend in a band of fixed height under the plot."""
    band = 0.75 / fig.get_figheight()  # inches → figure fraction
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=ncol, fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, band, 1, 1))


def plots(out, util, cells, speed, goal, chip, ran_on):
    """{plot key: PNG name} of the plots drawn into out; ``goal`` / ``chip``: the steady utilization's goal and
    the chip's figure (a line on the utilization chart); ``ran_on``: the utilization's configuration and simulator."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    made = {}
    names = [n for n, r in (util or {}).items() if r.get("steady") is not None]
    if names:
        y = range(len(names))

        def shape_chart(draw, xlabel, title, ncol, png):
            """A horizontal-bar chart with one row per GEMM shape, in percent."""
            fig, ax = plt.subplots(figsize=(9, 0.32 * len(names) + 2.2))
            draw(ax)
            ax.set_yticks(list(y), names, fontsize=8)
            ax.invert_yaxis()
            ax.set_xlim(0, 100)
            ax.set_xlabel(xlabel)
            ax.set_title(title)
            legend_below(fig, ax, ncol=ncol)
            fig.savefig(out / png, dpi=110)
            plt.close(fig)
            return png

        line = (f"goal / chip: {100 * goal:.0f} %" if goal == chip else
                f"goal {100 * goal:.0f} %, chip {100 * chip:.0f} %")

        def utilization(ax):
            ax.barh([i + 0.2 for i in y], [100 * util[n]["steady"] for n in names], 0.4,
                    label="steady (START → last word)")
            ax.barh([i - 0.2 for i in y], [100 * util[n]["end_to_end"] for n in names], 0.4,
                    label="end-to-end, overlapped (loads and drain through AXI)")
            ax.axvline(100 * goal, color="k", ls="--", lw=1, label=line)

        made["utilization"] = shape_chart(
            utilization, "useful MAC utilization (%)",
            f"MAC utilization per GEMM shape ({ran_on}, RTL counters)", 3, "utilization.png")

        def part(n, key):
            r = util[n]
            b = r["breakdown_cycles"]
            if key == "useful":
                v = b["mac_active"] * r["useful_fraction"]
            elif key == "padding":
                v = b["mac_active"] * (1 - r["useful_fraction"])
            else:
                v = b[key]
            return 100 * v / r["cycles_end_to_end_serial"]

        parts = [("useful", "MAC-active, useful"), ("padding", "MAC-active, padding"),
                 ("pipeline_and_drain", "fill + drain after START"), ("start", "last load → START"),
                 ("load_A", "load A"), ("load_B", "load B"), ("load_T", "load g/bias")]

        def breakdown(ax):
            left = [0.0] * len(names)
            for key, label in parts:
                vals = [part(n, key) for n in names]
                ax.barh(list(y), vals, left=left, label=label)
                left = [a + b for a, b in zip(left, vals)]

        made["breakdown"] = shape_chart(breakdown, "share of serial end-to-end cycles (%)",
                                        "Where the cycles go without overlap (serial end-to-end, per GEMM)", 4, "utilization_breakdown.png")

    psets = [p for p in ("fast", "paper") if p in (cells or {})]
    if psets:
        fig, ax = plt.subplots(figsize=(9, 4))
        width = 0.8 / len(psets)
        for i, p in enumerate(psets):
            vals = [cells[p].get(b, {}).get("gate_equivalents", 0) for b, _ in CELL_BLOCKS]
            bars = ax.bar([j + i * width for j in range(len(CELL_BLOCKS))], vals, width, label=f"{p} configuration")
            for bar, v in zip(bars, vals):
                ax.annotate(f"{v / 1000:.0f}k" if v >= 1000 else f"{v:.0f}",
                            (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center", va="bottom", fontsize=7)
        ax.set_xticks([j + width * (len(psets) - 1) / 2 for j in range(len(CELL_BLOCKS))],
                      [lbl.replace(", ", ",\n").replace(" (", "\n(") for _, lbl in CELL_BLOCKS], fontsize=7)
        ax.set_yscale("log")
        ax.set_ylabel("NAND2 gate equivalents (log)")
        ax.set_title("Logic per block (yosys generic synthesis; SRAM-sized memories counted apart)")
        ax.legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(out / "cells.png", dpi=110)
        plt.close(fig)
        made["cells"] = "cells.png"

    runs = [r for r in (speed or {}).get("runs", {}).values() if r.get("passed")]
    if runs:
        fig, ax = plt.subplots(figsize=(7, 4))
        labels = [f"{r['sim']}\n{r['param_set']}" for r in runs]
        bars = ax.bar(range(len(runs)), [r["cycles_per_s"] for r in runs],
                      color=["tab:orange" if r["sim"] == "icarus" else "tab:blue" for r in runs])
        for b, r in zip(bars, runs):
            ax.annotate(f"{r['cycles_per_s']:,.0f}/s\nPython {100 * r['python_share']:.0f} %",
                        (b.get_x() + b.get_width() / 2, b.get_height()), ha="center", va="bottom", fontsize=8)
        ax.set_xticks(range(len(runs)), labels)
        ax.set_yscale("log")
        ax.set_ylabel("simulated cycles per wall second (log)")
        ax.set_title("Simulation speed of the system test (top_speed_bench)")
        ax.margins(y=0.3)
        fig.tight_layout()
        fig.savefig(out / "sim_speed.png", dpi=110)
        plt.close(fig)
        made["sim_speed"] = "sim_speed.png"
    return made
