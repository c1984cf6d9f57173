"""The chunk plan of a case for `make run-case`: which top the RTL is built
as for the case (`build_params`), and how the GEMM is padded to the tile
grid and split over M and N into chunks that fit the buffers (`chunks`).
`plan` is both: the runner builds with its parameters, the simulation drives
its chunks (tools/run_case_rtl.py, tb/top/seq_lib/run_case_seq.py).
"""

import math
from dataclasses import dataclass

from .codes import DIM_MAX
from .params import PARAM_SETS, m_unit, v_of


class PlanError(ValueError):
    """The RTL cannot be built for the case: a one-line reason."""


@dataclass(frozen=True)
class Plan:
    params: dict        # the top's parameters (LANES, VEC, ACC_DEPTH, A_DEPTH, B_DEPTH, OUT_DEPTH)
    Mp: int             # M padded to the row unit
    Np: int             # N padded to ACC_DEPTH
    m_chunks: tuple     # [start, stop) over the padded M
    n_chunks: tuple     # [start, stop) over the padded N


def _pow2(x):
    return x > 0 and x & (x - 1) == 0


def _next_pow2(x):
    return 1 << max(0, math.ceil(math.log2(max(1, x))))


def build_params(M, K, mode, out_mode, vec, lanes):
    """The top's parameters for a case: LANES = lanes, VEC = vec,
    ACC_DEPTH = lanes, and the buffer depths of the named parameter set with
    that VEC and LANES (the paper set's otherwise), doubled until the smallest
    chunk fits (a softmax column is never split, so its whole M must fit the
    A buffer). PlanError when the RTL cannot be built for it."""
    if not _pow2(lanes) or lanes < 2:
        raise PlanError(f"the RTL cannot be built for lanes = {lanes}: LANES must be a power of two >= 2")
    if not _pow2(vec) or not 8 <= vec <= 256:
        raise PlanError(f"the RTL cannot be built for vec = {vec}: VEC must be a power of two in 8..256")
    if (vec // 2) % lanes:
        raise PlanError(f"the RTL cannot be built for vec = {vec}, lanes = {lanes}: VEC/2 must be a multiple of LANES")
    if K > DIM_MAX:
        raise PlanError(f"K = {K} does not fit the top's 16-bit K register")
    base = next((dict(p) for p in PARAM_SETS.values() if p["VEC"] == vec and p["LANES"] == lanes),
                dict(PARAM_SETS["paper"]))
    shape = {"LANES": lanes, "VEC": vec}
    kv = K // v_of(mode, shape)
    unit = m_unit(out_mode, shape)
    m_min = -(-M // lanes) * lanes if out_mode == "softmax" else unit
    a_need = (m_min // lanes) * kv  # A words per bank of the smallest chunk
    a_depth = max(base["A_DEPTH"], _next_pow2(a_need))
    if lanes * a_depth > DIM_MAX:  # the PPU's g/bias table (LANES * A_DEPTH rows) has at most 65535 rows
        a_depth = max(2, a_need)
    b_depth = max(base["B_DEPTH"], _next_pow2(lanes * kv))
    if lanes * a_depth > DIM_MAX or b_depth > DIM_MAX + 1:
        what = f"a softmax column of M = {M} with K = {K}" if out_mode == "softmax" else f"K = {K}"
        raise PlanError(f"{what} needs buffers larger than the RTL supports (A_DEPTH {a_need}, B_DEPTH {lanes * kv})")
    return {"LANES": lanes, "VEC": vec, "ACC_DEPTH": lanes, "A_DEPTH": a_depth, "B_DEPTH": b_depth,
            "OUT_DEPTH": base["OUT_DEPTH"]}


def chunks(M, N, K, mode, out_mode, params):
    """(Mp, Np, m_chunks, n_chunks): the padded sizes (M to the row unit, N
    to ACC_DEPTH; padded rows and columns are computed and dropped) and the
    [start, stop) chunks over them that fit the buffers and the 16-bit
    registers (M chunks are multiples of the row unit; a softmax column is
    never split)."""
    L, AD = params["LANES"], params["ACC_DEPTH"]
    kv = K // v_of(mode, params)
    unit = m_unit(out_mode, params)
    Mp, Np = -(-M // unit) * unit, -(-N // AD) * AD
    if out_mode == "softmax":
        mc = Mp
    else:
        mc = max(unit, min((params["A_DEPTH"] // kv) * L, DIM_MAX) // unit * unit)
    nc = max(AD, min(params["B_DEPTH"] // kv, DIM_MAX) // AD * AD)
    return (Mp, Np, [(m, min(m + mc, Mp)) for m in range(0, Mp, mc)],
            [(n, min(n + nc, Np)) for n in range(0, Np, nc)])


def plan(M, N, K, mode, out_mode, vec, lanes):
    """The Plan of a case of shape M x K x N: build parameters and chunks."""
    params = build_params(M, K, mode, out_mode, vec, lanes)
    return Plan(params, *chunks(M, N, K, mode, out_mode, params))


def case_plan(case):
    """The Plan of a validated case (models.case.load_case)."""
    M, K = case["a_q"].shape
    return plan(M, case["b_q"].shape[1], K, case["mode"], case["out_mode"], case["vec"], case["lanes"])
