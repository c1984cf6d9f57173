"""The FuseSoC core (vsq_top.core): its file set is the RTL, its parameter
defaults are the paper configuration, and `fusesoc --cores-root . run
--target lint vsq:accel:vsq_top` passes (Verilator -Wall), as does the
Icarus smoke run (sim_icarus, fast parameters). sim_verilator and synth are
longer: run them by hand (README, "Use the IP")."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tb.common.params import PARAM_SETS
from tb.common.testbench import REPO, RTL_DIR
from tb.sim import sim_env

CORE = REPO / "vsq_top.core"
VLNV = "vsq:accel:vsq_top"


def _core():
    return yaml.safe_load(CORE.read_text())


def _files(fileset):
    return sorted(next(iter(f)) if isinstance(f, dict) else f for f in _core()["filesets"][fileset]["files"])


def test_rtl_fileset_is_every_rtl_file():
    want = sorted(str(p.relative_to(REPO)) for p in list(RTL_DIR.glob("*.v")) + list(RTL_DIR.glob("*.vh")))
    assert _files("rtl") == want, "vsq_top.core's rtl file set must list every file of rtl/ (add new ones)"


def test_parameter_defaults_are_paper():
    params = _core()["parameters"]
    assert {k: params[k]["default"] for k in PARAM_SETS["paper"]} == PARAM_SETS["paper"]


def _fusesoc(tmp_path, target, *extra):
    fusesoc = Path(sys.executable).parent / "fusesoc"
    if not fusesoc.exists():
        pytest.fail("fusesoc is not installed: run `make setup`")
    cmd = [str(fusesoc), "--cores-root", str(REPO), "run", "--build-root", str(tmp_path), "--target", target,
           VLNV, *extra]
    return subprocess.run(cmd, cwd=REPO, env=sim_env(), capture_output=True, text=True, timeout=600)


def test_fusesoc_lint(tmp_path):
    if shutil.which("verilator", path=sim_env()["PATH"]) is None:
        pytest.fail("verilator is not installed: run `make setup`")
    res = _fusesoc(tmp_path, "lint")
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]


def test_fusesoc_sim_icarus_smoke(tmp_path):
    args = [f"--{k}={v}" for k, v in PARAM_SETS["fast"].items()]
    res = _fusesoc(tmp_path, "sim_icarus", *args)
    assert res.returncode == 0 and "SMOKE PASS" in res.stdout, res.stdout[-3000:] + res.stderr[-3000:]
