"""The hardware contract (models/contract) on its own: the generated RTL
include is current, the RTL refers to the codes by name, each block's check
is the ordered subset of the rules, and the chunk plan covers a case with
chunks that pass the top's check."""

import re

import numpy as np
import pytest

import models.contract as C
from tb.common.testbench import RTL_DIR
from tools import gen_defs


def test_defs_include_is_current():
    assert gen_defs.main(["--check"]) == 0, "rtl/vsq_defs.vh is stale: run `python -m tools.gen_defs`"
    first = gen_defs.DEFS.read_text().splitlines()[0]
    assert "GENERATED" in first and "tools/gen_defs.py" in first and "models/contract" in first


def test_check_blocks_use_the_generated_names():
    # The start checks of the RTL name every code they return (no bare 4'dN).
    for name in ("vsq_engine_check.v", "vsq_ppu_check.v", "vsq_softmax.v", "vsq_top_check.v"):
        text = (RTL_DIR / name).read_text()
        assert not re.search(r"code\s*=\s*4'd\d+|cfg_err\s*=\s*4'd\d+", text), name
    defs = gen_defs.DEFS.read_text()
    for name, code, _ in C.ERRORS:
        assert f"`define VSQ_ERR_{name}" in defs and f"4'd{code}" in defs


def test_subsets_are_ordered_like_the_rules():
    order = [r.name for r in C.RULES]
    for rules in (C.ENGINE_RULES, C.PPU_RULES, C.SOFTMAX_RULES):
        names = [r.name for r in rules]
        assert names == sorted(names, key=order.index)
    assert C.ENGINE_CODES == (1, 2, 3, 4, 5, 6, 7)
    assert C.PPU_CODES == (1, 2, 8, 9, 10, 11)
    assert C.SOFTMAX_CODES == (1, 2, 9)


@pytest.mark.parametrize("pset", sorted(C.PARAM_SETS))
def test_top_is_lowest_of_engine_and_ppu(pset):
    p = C.PARAM_SETS[pset]
    rng = np.random.default_rng(1)
    for _ in range(3000):
        m, n, k = (int(x) for x in rng.integers(0, 1 << 12, 3))
        mode, out = int(rng.integers(0, 4)), int(rng.integers(0, 8))
        codes = [c for c in (C.engine_code(m, n, k, mode, p), C.ppu_code(m, out, p)) if c]
        assert C.top_code(m, n, k, mode, out, p) == (min(codes) if codes else 0)


@pytest.mark.parametrize("seed", range(40))
def test_plan_chunks_cover_and_pass_the_check(seed):
    rng = np.random.default_rng(seed)
    lanes = int(rng.choice([2, 4, 8]))
    vec = int(rng.choice([v for v in (16, 32, 64) if (v // 2) % lanes == 0]))
    mode, out_mode = str(rng.choice(C.MODES)), str(rng.choice(C.OUT_MODES))
    V = C.v_of(mode, {"VEC": vec})
    M = int(rng.integers(1, 1024 if out_mode == "softmax" else 3000))
    if out_mode == "softmax":
        M = -(-M // lanes) * lanes
    N, K = int(rng.integers(1, 300)), V * int(rng.integers(1, 40))
    plan = C.plan(M, N, K, mode, out_mode, vec, lanes)
    p = plan.params
    assert plan.Mp >= M and plan.Np >= N and plan.Mp % C.m_unit(out_mode, p) == 0
    assert plan.m_chunks[0][0] == 0 and plan.m_chunks[-1][1] == plan.Mp
    assert all(a[1] == b[0] for a, b in zip(plan.m_chunks, plan.m_chunks[1:]))
    assert plan.n_chunks[0][0] == 0 and plan.n_chunks[-1][1] == plan.Np
    for m0, m1 in plan.m_chunks:
        for n0, n1 in plan.n_chunks:
            assert C.top_code(m1 - m0, n1 - n0, K, mode, out_mode, p) == 0


def test_plan_refuses_what_cannot_be_built():
    with pytest.raises(C.PlanError, match="LANES must be a power of two"):
        C.plan(8, 8, 16, "int4", "int8", 16, 3)
    with pytest.raises(C.PlanError, match="16-bit K register"):
        C.plan(8, 8, 1 << 16, "int4", "int8", 16, 4)


@pytest.mark.parametrize("pset", sorted(C.PARAM_SETS))
def test_register_map_agrees_with_the_contract(pset):
    """The register map (rdl/vsq_top.rdl, through tb.top.regmodel) states the same
    error table and derived parameters as the contract."""
    from tb.top.regmodel import ERROR_CODES, param_values

    assert ERROR_CODES == C.ERROR_NAMES
    vals = param_values(C.PARAM_SETS[pset])
    assert (vals["PPU_ROWS"], vals["MAX_L"]) == (C.ppu_rows(C.PARAM_SETS[pset]), C.MAX_L)
