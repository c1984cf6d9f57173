"""The tile planner of make bench (tools/bench_workloads.py): every plan
covers its padded GEMM exactly with tiles that fit the buffers, reloads
only what changes, and the extrapolation sums its tiles. No timing here."""

import pytest

from models.contract import PARAM_SETS, m_unit, v_of
from tools.bench_workloads import aggregate, all_plans, plan_tile_keys

PAPER = PARAM_SETS["paper"]


def fits(plan, t, p):
    kv = plan.Kp // v_of(plan.mode, p)
    return ((t.m // p["LANES"]) * kv <= p["A_DEPTH"] and t.n * kv <= p["B_DEPTH"]
            and t.m % m_unit(plan.out_mode, p) == 0 and t.n % p["ACC_DEPTH"] == 0)


@pytest.mark.parametrize("pset", ["paper", "fast"])
def test_plans_cover_and_fit(pset):
    p = PARAM_SETS[pset]
    for plan in all_plans(p):
        if plan.infeasible:
            continue
        assert sum(t.m * t.n for t in plan.tiles) == plan.Mp * plan.Np, plan.name
        assert all(fits(plan, t, p) for t in plan.tiles), plan.name
        assert plan.tiles[0].loads == ("A", "B", "T"), plan.name
        assert all(t.loads for t in plan.tiles), plan.name
        if plan.out_mode == "softmax":
            assert len(plan.tiles) == 1, plan.name


def test_paper_workload():
    plans = {p.name: p for p in all_plans(PAPER)}
    assert len(plans) == 20 and not any(p.infeasible for p in plans.values())
    assert plans["bert_base.s128.fc2"].out_mode == "int8_vsq"  # K/V = 48 leaves 32 rows per tile
    assert plans["minilm_l6.s128.qk"].Kp == 64 and plans["minilm_l6.s128.qk"].useful_fraction == 0.5
    assert plans["bert_base.s384.pv"].mode == "int8" and plans["bert_base.s384.pv"].Kp == 384


def test_resident_operands_are_not_reloaded():
    plan = {p.name: p for p in all_plans(PAPER)}["bert_base.s128.fc1"]  # one n-tile: B stays
    assert [t.loads for t in plan.tiles[1:]] == [("A", "T")] * (len(plan.tiles) - 1)


def test_aggregate_sums_tiles_by_class():
    plan = {p.name: p for p in all_plans(PAPER)}["bert_base.s384.pv"]
    meas = {}
    for key, t, count in plan_tile_keys(plan):
        meas[key] = {"load_cycles": {d: 10 for d in t.loads}, "start_cycles": 4, "cyc_total": 110, "cyc_mac": 100,
                     "window_cycles": 10 * len(t.loads) + 4 + 110}
    r = aggregate(plan, meas)
    n = len(plan.tiles)
    assert r["cyc_mac"] == 100 * n and r["cyc_total"] == 110 * n
    assert r["cycles_end_to_end"] == sum(10 * len(t.loads) + 114 for t in plan.tiles)
    assert r["steady"] == pytest.approx(100 / 110)
