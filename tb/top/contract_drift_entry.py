"""cocotb test module of the contract drift test (tests/sim/test_contract_drift.py
starts it through tb.sim.run; it is not in tests/, so the regressions do not
list it): the refusal rules of models.contract against the top's STATUS.

For each reachable start code of the contract (0 and the codes 1..11 that the
parameters make reachable as the first broken rule), shapes drawn until the
contract predicts that code, plus uniformly random 16-bit configurations:
each is written to the configuration registers and started (the buffers and
tables hold zeros, so an accepted GEMM computes defined values); STATUS must show
ERROR with the predicted ERR_CODE for a refusal, and BUSY without ERROR for
an accepted start (which a soft reset then aborts). Every disagreement, in
either direction, fails the test with its configuration."""

import pyuvm
from cocotb.triggers import ClockCycles

from models.contract import MAX_L, ERROR_NAMES, TOP_CODES, m_unit, ppu_rows, top_code, v_of
from tb.top.base_test import TopBaseTest
from tb.top.env import TopEnv
from tb.top.seq_item import DEST

U16 = 0xFFFF


class DriftEnv(TopEnv):
    scoreboard_class = None


def shape_draws(rng, p):
    """An endless stream of (m, n, k, mode, out_mode) mixing legal-looking
    multiples, boundary values of the buffers and tables, and raw 16-bit values."""
    L, AD = p["LANES"], p["ACC_DEPTH"]

    def pick(unit, cap, edges=()):
        kind = int(rng.integers(0, 6))
        if kind == 0:
            return 0
        if kind == 1:
            return int(rng.integers(0, U16 + 1))
        if kind == 2 and edges:
            return max(0, min(U16, int(rng.choice(edges)) + unit * int(rng.integers(-1, 2))))
        if kind == 3:
            return unit * int(rng.integers(0, 4)) + int(rng.integers(1, unit)) if unit > 1 else 1
        return unit * int(rng.integers(1, max(2, cap // unit + 1)))

    while True:
        mode, out_mode = int(rng.choice([0, 1, 2, 0, 1, 2, 3])), int(rng.choice([0, 1, 2, 3, 4, 5, 5, 6, 7]))
        V = v_of(mode, p) or p["VEC"]
        kv = int(rng.integers(1, 8))
        unit = m_unit(["acc", "int8", "int4", "int4_vsq", "int8_vsq", "softmax"][min(out_mode, 5)], p)
        m = pick(unit, 4 * unit, (MAX_L, ppu_rows(p), (p["A_DEPTH"] // kv) * L))
        n = pick(AD, 4 * AD, ((p["B_DEPTH"] // kv),))
        k = pick(V, kv * V, (kv * V,))
        yield m, n, k, mode, out_mode


def drift_shapes(rng, p, per_code=20, random_count=60, tries=4000):
    """[(m, n, k, mode, out_mode, predicted code)]: per_code shapes for each
    reachable code, then random_count raw 16-bit configurations."""
    draws = shape_draws(rng, p)
    shapes = []
    for code in (0,) + TOP_CODES:
        found = 0
        for _ in range(tries):
            cfg = next(draws)
            if top_code(*cfg, p) == code:
                shapes.append((*cfg, code))
                found += 1
                if found == per_code:
                    break
    for _ in range(random_count):
        cfg = tuple(int(x) for x in rng.integers(0, U16 + 1, 3)) + (int(rng.integers(0, 4)), int(rng.integers(0, 8)))
        shapes.append((*cfg, top_code(*cfg, p)))
    return shapes


@pyuvm.test()
class contract_drift(TopBaseTest):
    env_class = DriftEnv

    async def run_body(self):
        p, regs, clk = self.cfg.params, self.env.regs, self.dut.aclk
        shapes = drift_shapes(self.cfg.rng("shapes"), p)
        zeros = [(DEST["A"], [0] * (p["LANES"] * p["A_DEPTH"])), (DEST["B"], [0] * p["B_DEPTH"]),
                 (DEST["T"], [0] * -(-ppu_rows(p) // (p["VEC"] // 8)))]
        await self.env.loader.load(zeros, timeout_cycles=40 * sum(len(w) for _, w in zeros) + 2000)
        bad = []
        for m, n, k, mode, out_mode, want in shapes:
            for name, value in (("M", m), ("N", n), ("K", k), ("MODE", mode), ("OUT_MODE", out_mode)):
                await regs.write(name, value)
            await regs.write("CTRL", START=1)
            await ClockCycles(clk, 4)  # the pending start is decided
            st = await regs.read("STATUS")
            got = st.ERR_CODE if st.ERROR else 0
            if got != want or bool(st.BUSY) != (want == 0):
                bad.append(f"(M={m}, N={n}, K={k}, MODE={mode}, OUT_MODE={out_mode}): contract "
                           f"{ERROR_NAMES.get(want, 'accept')} ({want}), STATUS {st}")
            if st.BUSY:
                await regs.write("CTRL", SOFT_RESET=1)
                await ClockCycles(clk, 4)
        codes = sorted({s[-1] for s in shapes})
        self.env.logger.info(f"contract drift: {len(shapes)} starts, codes {codes}, {len(bad)} disagreement(s)")
        assert not bad, (f"{len(bad)} of {len(shapes)} starts disagree with models.contract, first: {bad[0]}. "
                         f"Reproduce: {self.cfg.repro()}")
