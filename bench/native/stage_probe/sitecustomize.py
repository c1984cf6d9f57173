"""Stage timestamps of one runner job, taken from outside the project's code
(bench/job_time.py puts this directory first on PYTHONPATH of the job it
times; nothing else does, and without VSQ_STAGE_PROBE it does nothing).

Python imports `sitecustomize` at start-up, in the job's own process
(`python -m tb.sim`, role "runner") and in the simulator's embedded
interpreter (cocotb, role "sim": COCOTB_TEST_MODULES is set there). Each
event is one JSON line {"role", "event", "t"} (time.time(), comparable across
the two processes) appended to the file VSQ_STAGE_PROBE names. Events: the
interpreter up, and the start and end of the functions wrapped below (found
when their module has been executed, through an import hook).
"""

import inspect
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # bench/native
from probe_hook import AfterImport  # noqa: E402
del sys.path[0]

_FILE = os.environ.get("VSQ_STAGE_PROBE")
_ROLE = "sim" if os.environ.get("COCOTB_TEST_MODULES") else "runner"


def _event(name):
    with open(_FILE, "a") as fh:
        fh.write(json.dumps({"role": _ROLE, "event": name, "t": time.time(), "pid": os.getpid()}) + "\n")


def _timed(obj, attr, name):
    """Wrap obj.attr so that its start and end are events."""
    fn = getattr(obj, attr)

    def wrapper(*args, **kwargs):
        _event(name + ":start")
        try:
            return fn(*args, **kwargs)
        finally:
            _event(name + ":end")

    async def async_wrapper(*args, **kwargs):
        _event(name + ":start")
        try:
            return await fn(*args, **kwargs)
        finally:
            _event(name + ":end")

    if inspect.iscoroutinefunction(fn):
        wrapper = async_wrapper

    setattr(obj, attr, wrapper)


def _after_runner(mod):
    # `python -m tb.sim` runs as __main__ (no import to hook): its two
    # stages are the cocotb runner's build (reused: the build check) and test.
    _timed(mod.Runner, "build", "build_check")
    _timed(mod.Runner, "test", "simulator")


def _after_coverage(mod):
    _timed(mod.coverage_db, "export_to_yaml", "coverage_write")


def _after_pyuvm(mod):
    _timed(mod.uvm_root, "run_test", "test")  # every phase of the pyuvm test, from build to final


_HOOKS = {"cocotb_tools.runner": _after_runner, "cocotb_coverage.coverage": _after_coverage,
          "pyuvm._s13_uvm_component": _after_pyuvm}


if _FILE:
    _event("python_up")
    AfterImport(_HOOKS).install()
