"""End-to-end MAC utilization with overlapped execution (a benchmark:
nothing about the numbers is asserted; issue 15). Driven by
bench/top_utilization.py; runnable alone:
`python -m tb.sim --test top_overlap_bench --sim verilator --params paper`.

A driver's view of the banks and the queue (docs/overlap-design.md): per
model and sequence length, one GEMM of every layer shape (tools/bench_workloads.py
plans, in layer order) runs tile after tile, all chained through the
descriptor queue. Per tile the host, as one sequential program:
- flips the bank of every operand the tile reloads (an operand kept resident
  stays in its bank), writes LOAD_BANK if it changed and streams the
  reloaded operands (A, B, g/bias table; one frame each). A load into a bank
  the running or queued GEMM still reads waits there (TREADY low): that is
  the only flow control the host needs;
- writes the configuration registers that changed (a shadow of what it
  wrote), RUN_BANK, and Q_CTRL.PUSH (after reading Q_STATUS until not FULL).
Every AXI4-Lite access is simulated and counted where it is not hidden.
Each plan runs as often as the layer has it (count per layer: 4
projections, 12 heads of QK^T and P·V; VSQ_BENCH_REPEAT=0 runs one), each
GEMM chained to the one before. Measured per GEMM: the window from the
previous GEMM's last result word (for the first GEMM of a layer: its own
first operand beat) to its own last result word, and its MAC cycles
(models.contract.mac_steps); per plan the sum over its GEMMs. The result
stream's TREADY is always high. Every tile is checked bit for bit by the
scoreboard. Environment: VSQ_BENCH_SHAPES (fnmatch patterns of plan names),
as top_util_bench. Writes <out_dir>/top_overlap_bench.json.
"""

import json
import os
import time

import pyuvm
from cocotb.triggers import ClockCycles
from cocotbext.axi import AxiStreamFrame

from models.contract import mac_steps
from tb.top.base_test import TopBaseTest
from tb.top.layout import case_loads
from tb.top.seq_item import DEST
from tb.common.clock_reset import steps_to_cycles
from tb.top.tests.top_util_bench import TopUtilBenchSeq
from tools.bench_workloads import all_plans, select


class TopOverlapBenchSeq(TopUtilBenchSeq):
    async def body(self):
        self.backpressure("none")
        self.load_idle("none")
        plans = [p for p in select(all_plans(self.params), os.environ.get("VSQ_BENCH_SHAPES")) if not p.infeasible]
        wall0 = time.perf_counter()
        self.shadow, self.resident = {}, {}
        self.sequencer.frames.flush()
        self.bank = {"A": 1, "B": 1, "T": 1}  # flipped before the first load of each: bank 0 first
        measured = {}
        layers = {}
        for p in plans:
            layers.setdefault((p.model, p.seq), []).append(p)
        every = os.environ.get("VSQ_BENCH_REPEAT", "1") != "0"
        for group in layers.values():
            # the host pushes the whole layer, GEMM after GEMM, then collects the results
            gemms = []
            for p in group:
                for _ in range(p.count if every else 1):
                    gemms.append((p, await self.push_gemm(p)))
            await self.collect(gemms, measured)
        cfg = self.sequencer.cfg
        result = {"sim": cfg.sim, "param_set": cfg.param_set, "params": self.params, "seed": str(cfg.seed),
                  "plans": measured, "wall_s": time.perf_counter() - wall0}
        cfg.out_dir.mkdir(parents=True, exist_ok=True)
        (cfg.out_dir / "top_overlap_bench.json").write_text(json.dumps(result, indent=1) + "\n")

    async def write_changed(self, name, value):
        if self.shadow.get(name) != value:
            resp = await self.regs.write(name, value)
            assert resp == 0, f"write of {name} answered {resp}"
            self.shadow[name] = value

    async def push_gemm(self, plan):
        """Load and push every tile of one GEMM of `plan`; returns its jobs and
        the cycle of its first operand beat."""
        source = self.loader.source
        first_beat, jobs = None, []
        for t in plan.tiles:
            case = self.tile_case(t.m, t.n, plan.Kp, plan.mode, plan.out_mode, t.loads)
            job = self.job_for(case, "overlap_bench")
            words = case_loads(case, self.lanes)
            for d in t.loads:
                self.bank[d] ^= 1
            if t.loads:
                await self.write_changed("LOAD_BANK", self.regs.encode("LOAD_BANK", **self.bank))
                sent = []
                for d in t.loads:
                    await source.send(AxiStreamFrame([int(w) for w in words[DEST[d]]], tdest=DEST[d],
                                                     tx_complete=sent.append))
                await source.wait()
                if first_beat is None:
                    first_beat = steps_to_cycles(sent[0].sim_time_start)
            for name, value in self.config_values(job).items():
                await self.write_changed(name, value)
            await self.write_changed("RUN_BANK", self.regs.encode("RUN_BANK", **self.bank))
            await self.push_descriptor()
            jobs.append(job)
        return jobs, first_beat

    async def collect(self, gemms, measured):
        """Wait for every result frame of a layer's GEMMs (in push order), publish
        the jobs and add each GEMM's window and MAC cycles to its plan."""
        need = sum(len(jobs) for _, (jobs, _) in gemms)
        while self.sequencer.frames.used() < need:
            await ClockCycles(self.clk, 64)
        last_end = None
        for plan, (jobs, first_beat) in gemms:
            for job in jobs:
                end = steps_to_cycles(self.frame().t_end)
                self.publish(job)
            window = end - (first_beat if last_end is None else last_end)
            cyc_mac = sum(mac_steps(t.m, t.n, plan.Kp, plan.mode, self.params) for t in plan.tiles)
            m = measured.setdefault(plan.name, {"gemms": 0, "tiles": len(plan.tiles), "window_cycles": 0,
                                                "cyc_mac": 0, "windows": [], "first_chained": last_end is not None})
            m["gemms"] += 1
            m["window_cycles"] += window
            m["cyc_mac"] += cyc_mac
            m["windows"].append(window)
            m["mac_active_end_to_end"] = m["cyc_mac"] / m["window_cycles"]
            last_end = end
        for name in dict.fromkeys(p.name for p, _ in gemms):
            m = measured[name]
            self.logger.info(f"overlap bench {name}: {m['gemms']} GEMMs of {m['tiles']} tiles, "
                             f"{m['window_cycles']} cycles for {m['cyc_mac']} MAC cycles: "
                             f"{m['mac_active_end_to_end']:.2%} MAC-active")


@pyuvm.test()
class TopOverlapBench(TopBaseTest):
    seq_class = TopOverlapBenchSeq
