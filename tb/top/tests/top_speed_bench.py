"""Simulation speed of the system test (a benchmark: nothing about speed is
asserted; issue 7 item 2). Driven by bench/sim_speed.py under Icarus and
Verilator, fast and paper configurations; runnable alone:
`python -m tb.sim --test top_speed_bench --sim icarus --params fast --seed 1`.

The stimulus is the main system test's: TopRandomSeq (top_random_test's
sequence: random modes, out_modes, shapes that fit the buffers, data kinds,
result back-pressure, load gaps, buffer reuse) with a fixed number of GEMMs
(VSQ_SPEED_GEMMS, default 4), every result checked by the scoreboard, the
coverage collected: what a user's regression job does.

Measured over the stimulus (after reset, to the end of the last GEMM):
simulated cycles, wall-clock seconds, and the wall-clock seconds spent in
Python. The Python time is the time inside cocotb's GPI callbacks: every
entry from the simulator into Python (cocotb's scheduler, pyuvm, the
cocotbext-axi agents, the scoreboard and the model they call) goes through
`GPITrigger._react`, which cocotb wraps in `cocotb._gpi_triggers.
profiling_context` (where COCOTB_ENABLE_PROFILING hooks cProfile). This
bench puts a perf_counter accumulator there instead: two clock reads per
callback, no profiler overhead. The rest of the wall time is the
simulator's (its own evaluation and the VPI calls it makes between
callbacks). Python's calls back into the simulator (signal reads and
writes) count as Python time. Writes <out_dir>/top_speed_bench.json.
"""

import dataclasses
import hashlib
import json
import os
import time

import cocotb._gpi_triggers as gpi_triggers
import pyuvm
from cocotb.utils import get_sim_time
from pyuvm import uvm_subscriber

from tb.common.clock_reset import CLOCK_PERIOD_NS
from tb.top.base_test import TopBaseTest
from tb.top.seq_lib.random_seq import TopRandomSeq


class PythonTimer:
    """Context manager that sums the wall time spent inside it."""

    def __init__(self):
        self.seconds = 0.0
        self.calls = 0
        self._t0 = 0.0

    def __enter__(self):
        self._t0 = time.perf_counter()

    def __exit__(self, *exc):
        self.seconds += time.perf_counter() - self._t0
        self.calls += 1
        return False


STIMULUS_OF = "top_speed_bench"


class FrameDigest(uvm_subscriber):
    """A digest of every result frame (words and TUSER, in order): two stream
    paths (tb/topfast) given the same traffic must publish the same frames."""

    def build_phase(self):
        self.sha, self.frames = hashlib.sha256(), 0

    def write(self, frame):
        self.frames += 1
        self.sha.update(repr((frame.words, frame.tuser)).encode())


@pyuvm.test()
class TopSpeedBench(TopBaseTest):
    seq_class = TopRandomSeq

    def build_phase(self):
        super().build_phase()
        self.digest = FrameDigest("digest", self)

    def connect_phase(self):
        self.env.results.ap.connect(self.digest.analysis_export)

    async def run_body(self):
        self.knobs = {"count": int(os.environ.get("VSQ_SPEED_GEMMS", "4"))}
        timer = PythonTimer()
        profiling = os.environ.get("COCOTB_ENABLE_PROFILING", "").lower() not in ("", "0", "false", "no")
        if not profiling:  # leave cProfile in place when the user asked for it
            gpi_triggers.profiling_context = timer
        # The stimulus stream is top_speed_bench's whichever test runs it (tb/topfast's
        # variant, tools/native/traffic.py): the same seed gives the same GEMMs. Made
        # before the window opens: its first use imports numpy.random (10-15 ms).
        rng = dataclasses.replace(self.cfg, test=STIMULUS_OF).rng("stimulus")
        seq = self.seq_class("seq", rng, self.cfg.params, **self.knobs)
        ns0, wall0, cpu0 = get_sim_time("ns"), time.perf_counter(), time.process_time()
        await seq.start(self.env.vseqr)
        # The current callback's own Python time is not in the timer yet: this
        # coroutine runs inside it until the next await; negligible next to the total.
        wall, ns = time.perf_counter() - wall0, get_sim_time("ns") - ns0
        cpu = time.process_time() - cpu0  # the simulator process's CPU: the model and Python alike
        cycles = ns / CLOCK_PERIOD_NS
        result = {
            "sim": self.cfg.sim, "param_set": self.cfg.param_set, "params": self.cfg.params, "seed": str(self.cfg.seed),
            "gemms": self.knobs["count"], "sim_cycles": cycles, "wall_s": wall,
            "cycles_per_s": cycles / wall if wall else None,
            "cpu_window_s": cpu, "cycles_per_cpu_s": cycles / cpu if cpu else None,
            "python_s": None if profiling else timer.seconds,
            "python_share": None if profiling or not wall else timer.seconds / wall,
            "gpi_callbacks": None if profiling else timer.calls,
            "result_frames": self.digest.frames, "result_digest": self.digest.sha.hexdigest(),
        }
        self.cfg.out_dir.mkdir(parents=True, exist_ok=True)
        (self.cfg.out_dir / "top_speed_bench.json").write_text(json.dumps(result, indent=1) + "\n")
        self.logger.info(f"speed bench: {cycles:.0f} cycles in {wall:.2f} s = {result['cycles_per_s']:.0f} cycles/s; "
                         f"Python {result['python_share'] or 0:.1%} of the wall time")
