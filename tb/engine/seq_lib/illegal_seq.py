"""Refused starts: for every engine error code, configurations that break
that rule (and, for the higher codes, none below it), plus uniformly random
16-bit configurations that break several at once (lowest code wins); then a
legal GEMM that must be bit-exact, with a start while busy that must be
ignored; then one more refusal and a last legal GEMM."""

from models.contract import v_of
from models.numerics import MODES
from tb.engine.refusal import A_CAP, B_CAP, ENGINE_CODES, K_MULT, M_MULT, MODE, N_MULT, ZERO_DIM, expected_code
from tb.engine.seq_item import MODE_NAME
from tb.engine.seq_lib.base_seq import EngineBaseSeq

U16 = (1 << 16) - 1


class EngineIllegalSeq(EngineBaseSeq):
    def off_multiple(self, unit):
        """A positive 16-bit value that is not a multiple of unit (unit >= 2)."""
        return unit * self.randint(0, U16 // unit - 1) + self.randint(1, unit - 1)

    def multiple(self, unit, cap=U16):
        return unit * self.randint(1, cap // unit)

    def bad_cfg(self, code):
        """(M, N, K, mode) that breaks rule `code`, and no lower rule."""
        L, AD = self.lanes, self.acc_depth
        mode = self.randint(0, 2)
        V = v_of(mode, self.params)
        M, N, K = self.shape(MODE_NAME[mode], "random")
        kv = K // V
        if code == ZERO_DIM:
            dims = [self.randint(0, U16) for _ in range(3)]
            zero = [self.randint(0, 1) for _ in range(3)]
            zero[self.randint(0, 2)] = 1
            M, N, K = [0 if z else d for d, z in zip(dims, zero)]
            mode = self.randint(0, 3)
        elif code == M_MULT:
            M, N, K, mode = self.off_multiple(L), self.randint(1, U16), self.randint(1, U16), self.randint(0, 3)
        elif code == N_MULT:
            N, K, mode = self.off_multiple(AD), self.randint(1, U16), self.randint(0, 3)
            M = self.multiple(L)
        elif code == K_MULT:
            M, N, K = self.multiple(L), self.multiple(AD), self.off_multiple(V)
        elif code == A_CAP:
            if self.randint(0, 1):  # just over: (M/LANES)·(K/V) = A_DEPTH + 1
                K, kv = V, 1
            M = L * (self.a_depth // kv + self.randint(1, 8))
            N = self.multiple(AD, min(U16, AD * self.randint(1, 4 * (self.b_depth // AD))))
            if kv == 1 and self.randint(0, 1):
                M = L * (self.a_depth + 1)
        elif code == B_CAP:
            if self.randint(0, 1):  # just over with K/V = 1: N = B_DEPTH + ACC_DEPTH
                M, K, kv = L * self.randint(1, self.a_depth), V, 1
            N = AD * (self.b_depth // (kv * AD) + self.randint(1, 8))
            if kv == 1 and self.randint(0, 1):
                N = self.b_depth + AD
        elif code == MODE:
            M, N, K, mode = self.multiple(L), self.multiple(AD), self.randint(1, U16), 3
        return M, N, K, mode

    async def refuse(self, M, N, K, mode):
        req = await self.start_gemm(M, N, K, mode, n_outer=self.randint(0, 1))
        assert not req.accepted, f"illegal start M={M} N={N} K={K} mode={mode} was accepted"
        return req

    async def body(self):
        self.set_backpressure("random")
        for _ in range(self.knobs.get("rounds", 2)):
            for code in ENGINE_CODES:
                cfg = self.bad_cfg(code)
                assert expected_code(*cfg, self.params) == code, (cfg, code)
                await self.refuse(*cfg)
        garbage = 0
        while garbage < self.knobs.get("garbage", 12):
            cfg = (self.randint(0, U16), self.randint(0, U16), self.randint(0, U16), self.randint(0, 3))
            if expected_code(*cfg, self.params):
                await self.refuse(*cfg)
                garbage += 1
        # A legal GEMM, with a start (of anything) while it is busy.
        mode = str(self.rng.choice(MODES))
        M, N, K = self.shape(mode, "random", max_steps=self.max_steps)
        steps = self.steps(M, N, K, mode)
        busy_cfg = (self.randint(0, U16), self.randint(0, U16), self.randint(0, U16), self.randint(0, 3), 0)
        await self.run_case(self.make_case(M, N, K, mode), busy_start_after=self.randint(1, max(1, steps // 2)),
                            busy_cfg=busy_cfg)
        await self.refuse(*self.bad_cfg(self.randint(1, len(ENGINE_CODES))))
        mode = str(self.rng.choice(MODES))
        M, N, K = self.shape(mode, "random", max_steps=self.max_steps)
        await self.run_case(self.make_case(M, N, K, mode), n_outer=self.randint(0, 1))
