"""What-if probe of bench/native_speed.py (a measurement, not the project's
testbench): the same top_speed_bench job with tb.top.stream_agents.set_pause
replaced, inside the simulator's interpreter only, by a player that wakes
once per (level, cycles) run (one Timer per run) instead of cocotbext-axi's
pause generator, which wakes once per clock while a pattern is set. The
patterns, their runs and the scoreboard are unchanged, so the job still
checks every result; the speed difference is what issue 17's "one wake per
run" would buy. Active only with VSQ_RUNLENGTH_PROBE=1 (native_speed puts
this directory first on PYTHONPATH of that one job).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # bench/native
from probe_hook import AfterImport  # noqa: E402
del sys.path[0]

_ON = os.environ.get("VSQ_RUNLENGTH_PROBE") == "1" and os.environ.get("COCOTB_TEST_MODULES")


def _patch(mod):
    import cocotb
    from cocotb.triggers import Timer

    period = mod.CLOCK_PERIOD_NS

    async def play(endpoint, pattern):
        for level, cycles in pattern:
            endpoint.pause = not level
            await Timer(max(1, int(cycles)) * period, "ns")

    def set_pause(endpoint, pattern):
        task = getattr(endpoint, "_runlength_task", None)
        if task is not None and not task.done():
            task.cancel()
        endpoint._runlength_task = None
        endpoint.clear_pause_generator()
        endpoint.pause = False
        if pattern is not None:
            endpoint._runlength_task = cocotb.start_soon(play(endpoint, pattern))

    mod.set_pause = set_pause


if _ON:
    AfterImport({"tb.top.stream_agents": _patch}).install()
