"""Utilization benchmark (bench/engine_utilization.py): BERT-base-like GEMMs
in int4_vsq with the buffers preloaded and no back-pressure; for each, the
engine's counters (cyc_mac / cyc_total) and the simulator's speed over the
start-to-done window (simulated cycles per wall-clock second). Writes
<out_dir>/engine_util_bench.json.

Paper configuration: M = 16, 64, 128 with K = 768, N = 128, and M = 32,
K = 3072, N = 32. Any other configuration runs the same tile counts and K/V,
clipped to its buffers (so the same test runs on Icarus in the fast one).
"""

import json
import time

from cocotb.utils import get_sim_time

from models.numerics import vec_len
from tb.common.clock_reset import CLOCK_PERIOD_NS
from tb.engine.seq_lib.base_seq import EngineBaseSeq

MODE = "int4_vsq"
PAPER_SHAPES = ((16, 768, 128), (64, 768, 128), (128, 768, 128), (32, 3072, 32))  # (M, K, N)
PAPER = {"LANES": 16, "VEC": 64, "ACC_DEPTH": 16}


class EngineUtilBenchSeq(EngineBaseSeq):
    def shapes(self):
        """(M, N, K) per benchmark shape, mapped onto this configuration."""
        V = vec_len(MODE, self.vec)
        out = []
        for M, K, N in PAPER_SHAPES:
            kv = min(K // vec_len(MODE, PAPER["VEC"]), self.kv_max())
            mt = max(1, min(M // PAPER["LANES"], self.a_depth // kv))
            nt = max(1, min(N // PAPER["ACC_DEPTH"], self.b_depth // (kv * self.acc_depth)))
            out.append((mt * self.lanes, nt * self.acc_depth, kv * V))
        return out

    async def body(self):
        self.set_backpressure("none")
        rows = []
        for M, N, K in self.shapes():
            await self.load(self.make_case(M, N, K, MODE))
            wall0, ns0 = time.perf_counter(), get_sim_time("ns")
            req = await self.start_gemm(M, N, K, MODE)
            wall, cycles = time.perf_counter() - wall0, (get_sim_time("ns") - ns0) / CLOCK_PERIOD_NS
            assert req.accepted, f"benchmark GEMM M={M} N={N} K={K} refused (err_code {req.err_code})"
            rows.append({
                "M": M, "N": N, "K": K, "mode": MODE,
                "cyc_total": req.cyc_total, "cyc_mac": req.cyc_mac,
                "utilization": req.cyc_mac / req.cyc_total,
                "sim_cycles": cycles, "wall_s": wall, "cycles_per_s": cycles / wall if wall else None,
            })
            self.logger.info(f"util bench M={M} N={N} K={K}: {req.cyc_mac}/{req.cyc_total} = "
                             f"{req.cyc_mac / req.cyc_total:.2%}, {cycles / wall:.0f} cycles/s")
        cfg = self.env.scoreboard.cfg
        total_cycles, total_wall = sum(r["sim_cycles"] for r in rows), sum(r["wall_s"] for r in rows)
        result = {"sim": cfg.sim, "param_set": cfg.param_set, "params": self.params,
                  "rows": rows, "sim_cycles": total_cycles, "wall_s": total_wall,
                  "cycles_per_s": total_cycles / total_wall if total_wall else None}
        cfg.out_dir.mkdir(parents=True, exist_ok=True)
        (cfg.out_dir / "engine_util_bench.json").write_text(json.dumps(result, indent=2) + "\n")
