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


class _Hook:
    """Patches tb.top.stream_agents right after it has been executed."""

    def find_spec(self, name, path, target=None):
        if name != "tb.top.stream_agents":
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                run = spec.loader.exec_module  # the loader may serve other modules too

                def exec_module(module):
                    run(module)
                    if module.__name__ == name:
                        _patch(module)
                        spec.loader.exec_module = run

                spec.loader.exec_module = exec_module
                return spec
        return None


_HOOK = _Hook()


def _keep_first(event, args):
    """cocotb puts pytest's assertion-rewriting finder first: stay in front of it."""
    if event == "import" and sys.meta_path and sys.meta_path[0] is not _HOOK:
        if _HOOK in sys.meta_path:
            sys.meta_path.remove(_HOOK)
        sys.meta_path.insert(0, _HOOK)


if _ON:
    sys.meta_path.insert(0, _HOOK)
    sys.addaudithook(_keep_first)
