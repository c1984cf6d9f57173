"""The formal tooling (tools/formal.py, formal/) and the simulation side of the
RTL's assertions (tb/sim.py rtl_assertion): part of `make test`."""

import json
import subprocess
import sys

from tb.common.testbench import REPO
from tb.sim import rtl_assertion


def test_rtl_assertion_found_in_either_simulators_log(tmp_path):
    log = tmp_path / "sim.log"
    log.write_text("  10.00ns INFO  cocotb  Reset de-asserted\n")
    assert rtl_assertion(tmp_path) is None
    log.write_text("ERROR: /x/rtl/vsq_top_regs.v:341: \n       Time: 1060000 Scope: vsq_top.u_regs\n")
    assert rtl_assertion(tmp_path) == "/x/rtl/vsq_top_regs.v:341"
    log.write_text("ok\n%Error: /x/rtl/vsq_fifo.v:72: Verilog $stop\nAborting...\n")
    assert rtl_assertion(tmp_path) == "/x/rtl/vsq_fifo.v:72"
    assert rtl_assertion(tmp_path / "missing") is None


def _formal(*args):
    return subprocess.run([sys.executable, "-m", "tools.formal", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=600)


def test_axil_proof_closes_and_is_summarized(tmp_path):
    proc = _formal("--only", "regs_axil", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    summary = json.loads((tmp_path / "summary.json").read_text())
    job = summary["jobs"][0]
    assert summary["passed"] and job["goal"] == "prove" and job["status"] == "pass"
    names = {p["name"].rsplit(".", 1)[-1]: p for p in job["properties"]}
    for prop in ("axil_b_stable", "axil_r_stable", "axil_b_needs_req", "axil_r_needs_req",
                 "axil_aw_count", "axil_w_count", "axil_ar_count", "axil_reset_b", "axil_reset_r"):
        assert names[prop]["result"] == "proven (k-induction)", names[prop]
    # the register block's own invariants (rtl/vsq_top_regs.v, VSQ_ASSERT) are in the proof too
    assert any("vsq_top_regs.v" in p["location"] for p in job["properties"])
    assert "| `axil.axil_b_stable` | assert | proven (k-induction) |" in (tmp_path / "summary.md").read_text()


def test_unknown_job_is_one_line_and_exit_2(tmp_path):
    proc = _formal("--only", "nosuch", "--out", str(tmp_path))
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "nosuch" in proc.stderr and "Traceback" not in proc.stderr
