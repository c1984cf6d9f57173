"""The RTL's parameter guards (`if (...) begin : g_bad*` → a PARAMETER_ERROR_*
module that does not exist, so elaboration stops naming the rule) at their
boundaries: each configuration below is elaborated alone by Icarus, the legal
ones must elaborate, the illegal ones must fail with their own rule's name.
Each pair sits on one side of one comparison of a guard, so a guard whose
limit, comparison or connective is changed fails here: make mutate runs this
file first on a mutant of a guard line (tier `elab`, docs/mutation.md)."""

import shutil
import subprocess

import pytest

from tb.common.testbench import RTL_DIR as RTL  # VSQ_RTL_DIR: a mutant's copy (make mutate)

# (module, parameters, the rule's module-name fragment, or None when legal)
CASES = [
    # vsq_ppu: PPU_ROWS a multiple of LANES, LANES..65535; OUT_FIFO >= 2
    ("vsq_ppu", {"PPU_ROWS": 16}, None),
    ("vsq_ppu", {"PPU_ROWS": 17}, "vsq_ppu_PPU_ROWS"),           # not a multiple, >= LANES
    ("vsq_ppu", {"PPU_ROWS": 0}, "vsq_ppu_PPU_ROWS"),            # a multiple, < LANES
    ("vsq_ppu", {"LANES": 5, "VEC": 80, "PPU_ROWS": 65535}, None),
    ("vsq_ppu", {"LANES": 5, "VEC": 80, "PPU_ROWS": 65540}, "vsq_ppu_PPU_ROWS"),
    ("vsq_ppu", {"OUT_FIFO": 2}, None),
    ("vsq_ppu", {"OUT_FIFO": 1}, "vsq_ppu_OUT_FIFO"),
    # vsq_softmax: LANES <= MAX_L <= 65535, OUT_FIFO >= 2, ACC_DEPTH >= 1
    ("vsq_softmax", {"MAX_L": 65535}, None),
    ("vsq_softmax", {"MAX_L": 65536}, "vsq_softmax_need"),
    ("vsq_softmax", {"OUT_FIFO": 2}, None),
    ("vsq_softmax", {"OUT_FIFO": 1}, "vsq_softmax_need"),
    ("vsq_softmax", {"ACC_DEPTH": 1}, None),
    ("vsq_softmax", {"ACC_DEPTH": 0}, "vsq_softmax_need"),
    # vsq_top_load: PPU_ROWS <= 65535
    ("vsq_top_load", {"LANES": 5, "VEC": 80, "PPU_ROWS": 65535}, None),
    ("vsq_top_load", {"LANES": 5, "VEC": 80, "PPU_ROWS": 65540}, "vsq_top_load_VEC"),
    # vsq_top_queue: DEPTH >= 1
    ("vsq_top_queue", {"DEPTH": 1}, None),
    ("vsq_top_queue", {"DEPTH": 0}, "vsq_top_queue_DEPTH"),
    # vsq_top_regs: BANKS 1..2, QUEUE 1..127
    ("vsq_top_regs", {"QUEUE": 127}, None),
    ("vsq_top_regs", {"QUEUE": 128}, "vsq_top_regs_BANKS"),
    ("vsq_top_regs", {"QUEUE": 0}, "vsq_top_regs_BANKS"),
    ("vsq_top_regs", {"BANKS": 1}, None),
    ("vsq_top_regs", {"BANKS": 3}, "vsq_top_regs_BANKS"),
]


def elaborate(module, params, tmp_path):
    cmd = ["iverilog", "-g2012", "-DVSQ_ASSERT", "-I", str(RTL), "-s", module, "-o", str(tmp_path / "x.vvp")]
    cmd += [f"-P{module}.{k}={v}" for k, v in params.items()] + [str(p) for p in sorted(RTL.glob("*.v"))]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    return out.returncode, out.stdout + out.stderr


@pytest.mark.parametrize("module,params,rule", CASES,
                         ids=[f"{m}-{'-'.join(f'{k}{v}' for k, v in p.items())}" for m, p, _ in CASES])
def test_param_guard(module, params, rule, tmp_path):
    if shutil.which("iverilog") is None:
        pytest.fail("iverilog is not installed: run `make setup`")
    rc, log = elaborate(module, params, tmp_path)
    if rule is None:
        assert rc == 0 and "PARAMETER_ERROR" not in log, f"{module} {params} is legal but did not elaborate:\n{log}"
    else:
        assert rc != 0, f"{module} {params} breaks a guard but elaborated"
        assert f"PARAMETER_ERROR_{rule}" in log, f"{module} {params}: not refused by its own rule:\n{log}"
