"""The refusal rules of models.contract against the RTL (part of `make test`):
a few hundred starts per parameter set through the top's registers, each
refusal the contract predicts must be what STATUS reports, with the same
code, and each start it accepts must start (tb/top/contract_drift_entry.py).
The fast set runs under Icarus, the paper set under Verilator (whose paper
build the quick tests make anyway)."""

import shutil

import pytest

from tb.sim import SIM_TOOL, run
from tb.top.testbench import TESTBENCH

SEED = 1


@pytest.mark.parametrize("sim,pset", [("icarus", "fast"), ("verilator", "paper")])
def test_contract_drift(sim, pset):
    if shutil.which(SIM_TOOL[sim]) is None:
        pytest.fail(f"{sim} is not installed: run `make setup`")
    repro = f".venv/bin/python -m pytest tests/sim/test_contract_drift.py -p no:xdist -k {sim}"
    passed, run_dir, repro = run("contract_drift", sim, SEED, pset, bench=TESTBENCH,
                                 module="tb.top.contract_drift_entry", repro=repro)
    log = run_dir / "sim.log"
    assert passed, f"the RTL disagrees with models.contract under {sim}/{pset}; log {log}; reproduce: {repro}"
    summary = [line for line in log.read_text().splitlines() if "contract drift:" in line]
    assert summary and " 0 disagreement(s)" in summary[-1], summary
