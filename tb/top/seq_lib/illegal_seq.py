"""Illegal configurations at start (architecture.md "Behaviour under bad
input"): for every error code a start can break (1..11) that the parameters
make reachable, a configuration that breaks it as its lowest rule, plus random
configurations breaking several rules (the lowest code wins). Each is
refused: STATUS.ERROR with the code, irq, no DONE, no result word.

A legal GEMM is loaded and run first; after the refusals it runs again
without reloading anything, and must be bit-exact: a refused start wrote
nothing (no buffer, no table). A freshly loaded legal GEMM follows."""

from models.contract import ERROR_CODES, ERROR_NAMES, v_of
from models.numerics import MODES
from tb.top.refusal import expected_code
from tb.top.regmodel import param_values
from tb.top.seq_lib.base_seq import TopBaseSeq


class TopIllegalSeq(TopBaseSeq):
    def candidates(self, code):
        """Configurations (m, n, k, mode, out_mode) aimed at `code`."""
        L, AD, vec = self.lanes, self.ad, self.vec
        vals = param_values(self.params)
        mode = self.randint(0, 2)
        V = v_of(mode, self.params)
        r = self.randint
        out = self.randint(0, 2)
        m, n, k = L * r(1, 2), AD * r(1, 2), V * r(1, 2)
        if code == ERROR_CODES["ZERO_DIM"]:
            dims = [m, n, k]
            dims[r(0, 2)] = 0
            yield (*dims, mode, out)
        elif code == ERROR_CODES["M_MULT"]:
            yield (L * r(0, 2) + r(1, L - 1), n, k, mode, out)
        elif code == ERROR_CODES["N_MULT"]:
            yield (m, AD * r(0, 2) + r(1, AD - 1), k, mode, out)
        elif code == ERROR_CODES["K_MULT"]:
            yield (m, n, V * r(0, 2) + r(1, V - 1), mode, out)
        elif code == ERROR_CODES["A_CAP"]:
            kv = r(1, 4)
            yield (L * (self.a_depth // kv + r(1, 3)), n, V * kv, mode, out)
        elif code == ERROR_CODES["B_CAP"]:
            kv = r(1, 2)
            yield (m, AD * (self.b_depth // (kv * AD) + r(1, 2)), V * kv, mode, out)
        elif code == ERROR_CODES["MODE"]:
            yield (m, n, vec * r(0, 2) + r(0, vec - 1) if r(0, 1) else k, 3, out)
        elif code == ERROR_CODES["OUT_MODE"]:
            yield (m, n, k, mode, r(6, 7))
        elif code == ERROR_CODES["SOFTMAX_LEN"]:
            for mm in range(vals["MAX_L"] + L, min(vals["MAX_L"] + 8 * L, 65535), L):
                yield (mm, AD, V, mode, 5)
        elif code == ERROR_CODES["VO_MULT"]:
            om = r(3, 4)
            vo = vec if om == 3 else vec // 2
            if vo > L:
                yield (L * r(1, vo // L - 1) + vo * r(0, 1), n, k, mode, om)
        elif code == ERROR_CODES["PPU_ROWS"]:
            for mm in range(vals["PPU_ROWS"] + L, min(vals["PPU_ROWS"] + 8 * L, 65535), L):
                yield (mm, AD, V, mode, 1)

    def targeted(self, code):
        """A configuration whose lowest broken rule is `code`, or None when the
        parameters make that rule unreachable."""
        for _ in range(20):
            for cfg in self.candidates(code):
                if expected_code(*cfg, self.params) == code:
                    return cfg
        return None

    async def body(self):
        mode, out_mode = self.choice(list(MODES)), self.choice(["acc", "int8", "int4_vsq", "softmax"])
        M, N, K = self.random_shape(mode, out_mode, max_steps=128)
        case = self.make_case(M, N, K, mode, out_mode)
        await self.run(self.job_for(case, "legal before"))

        reachable = []
        for code in range(1, 12):
            cfg = self.targeted(code)
            if cfg is None:
                self.sequencer.logger.info(f"code {code} ({ERROR_NAMES[code]}) is unreachable "
                                           f"with these parameters: not tested here")
                continue
            reachable.append(code)
            await self.refuse(cfg)
        for _ in range(int(self.knobs.get("multi", 6))):
            await self.refuse(self.illegal_config())
        self.sequencer.logger.info(f"refusal codes tested: {reachable}")

        await self.run(self.job_for(case, "legal after, not reloaded"), load=False)
        M, N, K = self.random_shape(mode, out_mode, max_steps=128)
        await self.run(self.job_for(self.make_case(M, N, K, mode, out_mode), "legal after, reloaded"))

    async def refuse(self, cfg):
        job = self.illegal_job(*cfg)
        count = (await self.regs.read("ERR_COUNT")).value
        await self.run(job, publish=False)
        await self.expect_err_count_increment(str(job), count, 1)
        self.publish(job)
