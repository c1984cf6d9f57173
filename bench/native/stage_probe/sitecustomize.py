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


def _wrap(loader):
    """Run the hook of a module after its loader has executed it (once per loader)."""
    if getattr(loader, "_probe_wrapped", False):
        return
    run = loader.exec_module

    def exec_module(module):
        run(module)
        hook = _HOOKS.get(module.__name__)
        if hook is not None:
            hook(module)

    try:
        loader.exec_module, loader._probe_wrapped = exec_module, True
    except AttributeError:
        pass


class _Hook:
    """Meta-path finder in front of the others: for a hooked module, asks the
    others for the spec and wraps its loader."""

    def find_spec(self, name, path, target=None):
        if name not in _HOOKS:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                if spec.loader is not None:
                    _wrap(spec.loader)
                return spec
        return None


_HOOK = _Hook()


def _keep_first(event, args):
    """cocotb puts pytest's assertion-rewriting finder first: stay in front of it."""
    if event == "import" and sys.meta_path and sys.meta_path[0] is not _HOOK:
        if _HOOK in sys.meta_path:
            sys.meta_path.remove(_HOOK)
        sys.meta_path.insert(0, _HOOK)


if _FILE:
    _event("python_up")
    sys.meta_path.insert(0, _HOOK)
    sys.addaudithook(_keep_first)
