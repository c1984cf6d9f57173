"""Lane scoreboard: the expected accumulator after every step comes from the
model's lane step and 24-bit saturation; each finished accumulation is also
checked against the model's whole-GEMM path (gemm_acc), as a 1×1 GEMM."""

import numpy as np
from pyuvm import uvm_tlm_analysis_fifo

from models.gemm import gemm_acc, lane_step
from models.numerics import sat
from tb.common.scoreboard import CompareScoreboard

ACC_MAX, ACC_MIN = (1 << 23) - 1, -(1 << 23)


class LaneScoreboard(CompareScoreboard):
    def build_phase(self):
        super().build_phase()
        self.in_fifo = uvm_tlm_analysis_fifo("in_fifo", self)
        self.out_fifo = uvm_tlm_analysis_fifo("out_fifo", self)
        self.vec = self.cfg.params["VEC"]
        self.steps = []  # the current accumulation, for the gemm_acc cross-check
        self.last_acc = None
        self.pending = None  # a step taken from in_fifo whose result has not come yet

    def predict(self, step, prev):
        d = int(lane_step(step.mode, step.a, step.sa, step.b, step.sb))
        exact = prev + d
        return int(sat(np.int64(exact), 24)), exact > ACC_MAX, exact < ACC_MIN

    def check_accumulation(self):
        s = self.steps
        if not s:
            return
        a_q = np.concatenate([st.a for st in s])[None, :].astype(np.int8)
        b_q = np.concatenate([st.b for st in s])[:, None].astype(np.int8)
        a_s = np.array([[st.sa for st in s]], dtype=np.uint8)
        b_s = np.array([[st.sb] for st in s], dtype=np.uint8)
        expected = gemm_acc(s[0].mode, a_q, a_s, b_q, b_s, self.vec)
        self.compare(f"accumulation of {len(s)} {s[0].mode} steps vs gemm_acc", expected, [[self.last_acc]])

    async def run_phase(self):
        acc = 0
        n = 0
        while True:
            step = self.pending = await self.in_fifo.get()
            got = await self.out_fifo.get()
            self.pending = None
            if step.first:
                self.check_accumulation()
                self.steps = []
                acc = 0
            self.steps.append(step)
            acc, pos, neg = self.predict(step, acc)
            what = f"step {n} ({step.mode}, first={step.first}, sa={step.sa}, sb={step.sb})"
            self.compare(what + " acc", acc, got.acc)
            self.compare(what + " sat_pos/sat_neg", [pos, neg], [got.sat_pos, got.sat_neg])
            self.last_acc = got.acc
            n += 1

    def check_phase(self):
        self.check_accumulation()
        # used() counts items (size() is the capacity); a pending step has no result either.
        left_in = self.in_fifo.used() + (self.pending is not None)
        left_out = self.out_fifo.used()
        if left_in or left_out:
            raise AssertionError(f"{left_in} step(s) without a result and {left_out} result(s) "
                                 f"without a step at the end. Reproduce: {self.cfg.repro()}")
        super().check_phase()
