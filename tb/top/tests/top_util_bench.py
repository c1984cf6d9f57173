"""End-to-end MAC utilization through the top (a benchmark: nothing about
the numbers is asserted; issue 7 item 1). Driven by
bench/top_utilization.py; runnable alone:
`python -m tb.sim --test top_util_bench --sim verilator --params paper`.

The workload is the GEMMs of BERT-base and MiniLM-L6 layers at sequence
lengths 128 and 384, tiled onto the buffers as a driver would
(tools/bench_workloads.py: which tiles, in which order, and which operands
each tile reloads). Each distinct tile class (padded M_t × N_t × K, mode,
out_mode, operands reloaded) runs once, as a host runs it: the operands a
driver would have left resident are loaded first, outside the window; then,
inside the window, the configuration registers are written while the
reloaded operands stream in over s_axis (A, B, g/bias table: one frame
each, in that order), CTRL.START is written, and the results drain over
m_axis with TREADY always high, until the last word. Measured per class, in
cycles: each load, the gap from the last load to the GEMM start (mostly the
AXI4-Lite START write), CYC_TOTAL and CYC_MAC from the top's counters, and
the window from the first load beat to the last result word.
bench/top_utilization.py extrapolates every plan from its classes by their
tile counts. The timing is data independent and the top is idle between
tiles, so that is exact; `validation` checks it once, running every tile of
the cheapest multi-class plan back to back (nothing preloaded) and comparing
each tile's window with its class's.

Every GEMM is still checked bit for bit by the top's scoreboard.
Environment: VSQ_BENCH_SHAPES (comma-separated fnmatch patterns of plan
names, e.g. `bert_base.s128.*`; default all), VSQ_BENCH_VALIDATE=0 skips
the validation. Writes <out_dir>/top_util_bench.json.
"""

import json
import os
import time

import cocotb
import pyuvm
from cocotb.triggers import ClockCycles
from cocotbext.axi import AxiStreamFrame

from tb.common.clock_reset import steps_to_cycles
from tb.top.base_test import TopBaseTest
from tb.top.layout import case_loads
from tb.top.seq_item import DEST
from tb.top.seq_lib.base_seq import TopBaseSeq
from tools.bench_workloads import all_plans, estimate_cycles, plan_tile_keys, select, tile_key

LOAD_ORDER = ("A", "B", "T")


class TopUtilBenchSeq(TopBaseSeq):
    async def body(self):
        self.backpressure("none")
        self.load_idle("none")
        plans = select(all_plans(self.params), os.environ.get("VSQ_BENCH_SHAPES"))
        measured, wall0 = {}, time.perf_counter()
        for plan in plans:
            if plan.infeasible:
                self.logger.info(f"util bench {plan.name}: skipped ({plan.infeasible})")
                continue
            for key, t, _count in plan_tile_keys(plan):
                if key not in measured:
                    preload = tuple(d for d in LOAD_ORDER if d not in t.loads)
                    measured[key] = await self.run_tile(t.m, t.n, plan.Kp, plan.mode, plan.out_mode,
                                                        loads=t.loads, preload=preload)
        validation = None
        if os.environ.get("VSQ_BENCH_VALIDATE", "1") != "0":
            validation = await self.validate(plans, measured)
        cfg = self.sequencer.cfg
        result = {
            "sim": cfg.sim, "param_set": cfg.param_set, "params": self.params, "seed": str(cfg.seed),
            "plans": {p.name: p.to_json() for p in plans},
            "tiles": measured, "validation": validation,
            "wall_s": time.perf_counter() - wall0,
        }
        cfg.out_dir.mkdir(parents=True, exist_ok=True)
        (cfg.out_dir / "top_util_bench.json").write_text(json.dumps(result, indent=1) + "\n")

    async def validate(self, plans, measured):
        """The extrapolation by tile counts, checked once: every tile of the
        cheapest plan with more than one tile class runs back to back, as a
        driver runs them (each loading only what changed, nothing preloaded),
        and the sum of their windows is compared with the sum over the plan
        of its classes' measured windows."""
        multi = [p for p in plans if not p.infeasible and len(p.classes()) > 1]
        if not multi:
            return None
        plan = min(multi, key=lambda p: estimate_cycles(p, self.params))
        windows, self.resident = [], {}
        for t in plan.tiles:
            m = await self.run_tile(t.m, t.n, plan.Kp, plan.mode, plan.out_mode, loads=t.loads)
            windows.append(m["window_cycles"])
        predicted = [measured[tile_key(t.m, t.n, plan.Kp, plan.mode, plan.out_mode, t.loads)]["window_cycles"]
                     for t in plan.tiles]
        self.logger.info(f"util bench validation {plan.name}: {len(windows)} tiles back to back, "
                         f"{sum(windows)} cycles; extrapolated {sum(predicted)}")
        return {"plan": plan.name, "tiles": len(windows), "measured_cycles": sum(windows),
                "extrapolated_cycles": sum(predicted), "per_tile_equal": windows == predicted,
                "measured_windows": windows, "extrapolated_windows": predicted}

    def tile_case(self, M, N, K, mode, out_mode, loads):
        """A random case; operands a driver would not reload are the resident ones."""
        case = self.make_case(M, N, K, mode, out_mode)
        keys = {"A": ("a_q", "a_s"), "B": ("b_q", "b_s"), "T": ("g", "bias")}
        for d in LOAD_ORDER:
            if d not in loads and d in self.resident:
                for k in keys[d]:
                    assert case[k].shape == self.resident[d][k].shape, f"resident {d} does not fit the tile"
                    case[k] = self.resident[d][k]
        for d in LOAD_ORDER:
            self.resident[d] = {k: case[k] for k in keys[d]}
        return case

    async def run_tile(self, M, N, K, mode, out_mode, loads=LOAD_ORDER, preload=()):
        """One GEMM as a host runs it; returns its cycle breakdown."""
        if not hasattr(self, "resident"):
            self.resident = {}
        for d in preload:
            self.resident.pop(d, None)
        case = self.tile_case(M, N, K, mode, out_mode, loads)
        job = self.job_for(case, "util_bench")
        words = case_loads(case, self.lanes)
        source = self.loader.source
        if preload:  # the operands a driver would have left resident: outside the window
            await self.loader.load([(DEST[d], words[DEST[d]]) for d in preload])
            await ClockCycles(self.clk, 2 * self.vec)  # the table's last rows are written after its last beat
        self.sequencer.frames.flush()
        wall0 = time.perf_counter()
        # The window: the reloaded operands stream back to back (one frame per
        # destination, queued at once, as a DMA would send them) while the
        # configuration registers are written; then START.
        sent = []  # the source's copies of the frames, with their times, in order
        config = cocotb.start_soon(self.configure(job))
        for d in loads:
            await source.send(AxiStreamFrame([int(w) for w in words[DEST[d]]], tdest=DEST[d], tx_complete=sent.append))
        await source.wait()
        await config
        await self.start_gemm()
        end = await self.wait_end(job)
        frame = self.frame()
        self.publish(job)
        assert end.done, f"util bench GEMM M={M} N={N} K={K} {mode}->{out_mode} refused (code {end.err_code})"
        # Cycle of each frame's first beat (TREADY is high while idle, so it is
        # accepted there), of the cycle after the last load beat, and of the
        # last result word.
        marks = [steps_to_cycles(f.sim_time_start) for f in sent] + [steps_to_cycles(sent[-1].sim_time_end) + 1]
        load_cycles = {d: marks[i + 1] - marks[i] for i, d in enumerate(loads)}
        window = steps_to_cycles(frame.t_end) - marks[0]
        start = window - sum(load_cycles.values()) - end.cyc_total
        res = {
            "M": M, "N": N, "K": K, "mode": mode, "out_mode": out_mode, "loads": list(loads),
            "load_words": {d: len(words[DEST[d]]) for d in loads},
            "load_cycles": load_cycles, "start_cycles": start,
            "cyc_total": end.cyc_total, "cyc_mac": end.cyc_mac, "window_cycles": window,
            "steady": end.cyc_mac / end.cyc_total, "end_to_end": end.cyc_mac / window,
            "wall_s": time.perf_counter() - wall0,
        }
        self.logger.info(f"util bench {tile_key(M, N, K, mode, out_mode, loads)}: "
                         f"loads {load_cycles} start {start} CYC_TOTAL {end.cyc_total} CYC_MAC {end.cyc_mac} "
                         f"window {window}: steady {res['steady']:.2%}, end-to-end {res['end_to_end']:.2%} "
                         f"({res['wall_s']:.1f} s wall)")
        return res


@pyuvm.test()
class TopUtilBench(TopBaseTest):
    seq_class = TopUtilBenchSeq
