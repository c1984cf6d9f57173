"""The bench report states what its data shows (tools/bench_report*.py): two data sets, two findings.

Fake benchmark results (no simulation): every figure and cause in the notes must follow the data.
"""

import json

from tools import bench_report_findings as F
from tools.bench_report import write_report
from tools.bench_report_tables import CELL_BLOCKS

GOAL = 0.98


def shape(model, seq, cyc_mac, cyc_total, loads, start, serial, useful=1.0):
    """One GEMM shape's utilization record as bench/top_utilization.py writes it: the serial window
    (loads, START, compute one after the other, or not) and the overlapped one (CYC_TOTAL + 10)."""
    steady = useful * cyc_mac / cyc_total
    window = cyc_total + 10
    return {"model": model, "seq": seq, "M": 64, "N": 64, "K": 64, "mode": "int4_vsq", "out_mode": "int4_vsq",
            "order": "a_resident", "padded": {"M": 64, "N": 64, "K": 64}, "tiles": 1,
            "tile_classes": ["64x64x64-int4_vsq-int4_vsq-ABT"], "useful_fraction": useful,
            "steady": steady, "end_to_end": useful * cyc_mac / window, "mac_active_steady": cyc_mac / cyc_total,
            "mac_active_end_to_end": cyc_mac / window, "cyc_mac": cyc_mac, "cyc_total": cyc_total,
            "cycles_end_to_end": window, "end_to_end_serial": useful * cyc_mac / serial,
            "mac_active_end_to_end_serial": cyc_mac / serial, "cycles_end_to_end_serial": serial, "goal_met": steady >= GOAL, "why_below_goal": "" if steady >= GOAL else
            "a reason the benchmark computed", "why_end_to_end": "loads reasons the benchmark computed",
            "breakdown_cycles": {"load_A": loads[0], "load_B": loads[1], "load_T": loads[2], "start": start,
                                 "mac_active": cyc_mac, "pipeline_and_drain": cyc_total - cyc_mac}}


def top(overlap):
    """Two shapes whose loads add to the compute (window = loads + start + CYC_TOTAL), or overlap it."""
    cut = 300 if overlap else 0
    util = {"m.s128.fc1": shape("m", 128, 1000, 1010, (400, 200, 64), 4, 1678 - cut),
            "m.s384.qk": shape("m", 384, 500, 600, (100, 100, 16), 4, 820 - cut, useful=0.5)}
    return {"goal_steady": GOAL, "sim": "verilator", "param_set": "paper", "utilization": util, "layers": {},
            "tiles": {"a": {}, "b": {}}, "simulated_cycles": 2498, "validation": None}


def speed(ratio_fast, ratio_paper):
    runs = {f"{s}-{p}": {"sim": s, "param_set": p, "passed": True, "python_share": share, "cycles_per_s": 1e3,
                         "sim_cycles": 1000, "wall_s": 1.0, "job_s": 2.0}
            for s, p, share in (("icarus", "fast", 0.3), ("verilator", "fast", 0.8), ("icarus", "paper", 0.1),
                                ("verilator", "paper", 0.2))}
    return {"runs": runs, "verilator_over_icarus": {"fast": ratio_fast, "paper": ratio_paper}, "gemms": 4,
            "seed": 1, "load_average_1min": [1.0, 2.0], "cores": 2}


def cells(weight_xor, a_depth_fast):
    derived = {"vsq_overhead_pct_over_int4": 4.5, "int8_overhead_pct_over_int4_vsq": 30.5,
               "vsq_share_of_engine_pct": 1.5, "int8_share_of_engine_pct": 9.75,
               "engine_ge_per_int4_mac_per_cycle": 600.0, "engine_ge_per_int8_mac_per_cycle": 1200.0,
               "lane_ge_per_int4_mac_per_cycle": 500.0}
    block = {"cells": 10, "gate_equivalents": 100.0, "flops": 1, "memory_bits": 0}

    def pset(lanes, vec, a_depth):
        return {**{b: dict(block) for b, _ in CELL_BLOCKS},
                "engine": dict(block, params={"LANES": lanes, "VEC": vec, "A_DEPTH": a_depth}), "derived": derived}

    return {"weights_nand2_ge": {"$_NAND_": 1.0, "$_XOR_": weight_xor, "flop": 4.67, "flop_enable_or_reset": 1.0},
            "flow": "memory -nomap; memory_map t:$mem_v2 r:SIZE<64 %i; opt", "abc_script": "dch: strash",
            "fast": pset(4, 16, a_depth_fast), "paper": pset(16, 64, 128)}


def test_load_overlap_finding_follows_the_breakdown():
    serial = F.end_to_end_notes(F.ran_shapes(top(overlap=False)["utilization"]))[0]
    overlapped = F.end_to_end_notes(F.ran_shapes(top(overlap=True)["utilization"]))[0]
    assert "a tile's loads add to its compute" in serial and "overlap compute on every shape" not in serial
    assert "overlap compute on every shape" in overlapped and "add to its compute" not in overlapped
    # the overlapped figures are this data's too: 1000/1020 and 0.5 * 500/610
    assert "41.0 % (m.s384.qk) … 98.0 %" in serial
    # the load share is this data's: 216/820 and 664/1678 (serial), 216/520 and 664/1378 (overlapped)
    assert "26.3 % … 39.6 %" in serial and "41.5 % … 48.2 %" in overlapped


def test_python_share_finding_follows_the_runs():
    caps = F.python_share_note(speed(1.5, 6.0))
    other = F.python_share_note(speed(6.0, 1.5))
    assert "verilator fast 80 %" in caps and "Above 50 % on verilator fast:" in caps
    assert "caps the ratio" in caps and "does not explain" not in caps
    assert "does not explain" in other and "caps the ratio" not in other
    quiet = speed(1.5, 6.0)
    for r in quiet["runs"].values():
        r["python_share"] = 0.1
    assert "simulators' own evaluation dominates" in F.python_share_note(quiet)


def test_cells_text_is_this_runs_method():
    a, b = F.cells_text(cells(2.33, 32)), F.cells_text(cells(3.0, 128))
    assert "XOR = 2.33" in a and "XOR = 3" in b
    assert "A banks have 32 words" in a and "A banks" not in b
    note = F.cells_note(cells(2.33, 32))
    assert "+4.5 % gate equivalents" in note and f"+{F.PAPER['vsq_energy_overhead_pct']} % energy" in note


def _write(tmp_path, name, data):
    (tmp_path / f"{name}.json").write_text(json.dumps(data))


def test_report_of_two_data_sets(tmp_path):
    machine = {"cores": 2, "platform": "test", "bench_seconds": 1.0, "date": "today"}
    reports = []
    for i, (overlap, ratios) in enumerate(((False, (1.5, 6.0)), (True, (6.0, 1.5)))):
        out = tmp_path / str(i)
        out.mkdir()
        _write(out, "top_utilization", top(overlap))
        _write(out, "sim_speed", speed(*ratios))
        _write(out, "cells", cells(2.33, 32))
        merged = write_report(out, machine, {})
        md = (out / "report.md").read_text()
        assert (out / "report.html").exists() and json.loads((out / "bench.json").read_text())["headline"]
        assert "Steady-state utilization of m.s384.qk" in md  # 50 % useful: below the goal
        assert "m.s128.fc1: " in md and merged["goals_missed"]
        assert "(paper configuration, Verilator, RTL counters" in merged["headline_markdown"]
        reports.append(md)
    assert ("add to its compute" in reports[0]) and ("add to its compute" not in reports[1])
    assert "caps the ratio" in reports[0] and "does not explain" in reports[1]
