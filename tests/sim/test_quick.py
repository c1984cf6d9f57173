"""The simulator tests in their quick form (part of `make test`): every test
of every bench once under Icarus (fast parameters), and the lane — the block
every other stands on — under Verilator too, in both parameter sets. A test
limited to the paper configuration (PARAM_SETS in its file) runs once under
Verilator in it instead.
The full seed sweeps are the regressions' job (`make regress`)."""

import shutil

import pytest

from tb.common.testbench import all_tests, allowed_params
from tb.sim import run

SEED = 1
TESTS = all_tests()


def _cases():
    for test, bench in sorted(TESTS.items()):
        if "fast" not in allowed_params(bench.name, test):
            yield pytest.param(test, "verilator", "paper", id=f"{test}-verilator-paper")
            continue
        yield pytest.param(test, "icarus", "fast", id=f"{test}-icarus-fast")
        if bench.name == "lane":
            yield pytest.param(test, "verilator", "fast", id=f"{test}-verilator-fast")
            yield pytest.param(test, "verilator", "paper", id=f"{test}-verilator-paper")


@pytest.mark.parametrize("test,sim,pset", list(_cases()))
def test_sim(test, sim, pset):
    if shutil.which({"icarus": "iverilog", "verilator": "verilator"}[sim]) is None:
        pytest.fail(f"{sim} is not installed: run `make setup`")
    passed, run_dir, repro = run(test, sim, SEED, pset)
    assert passed, f"{test} failed under {sim}/{pset}; log {run_dir / 'sim.log'}; reproduce: {repro}"
