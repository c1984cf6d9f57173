"""cocotb test module of `make run-case` (tools/run_case_rtl.py starts it
through tb.sim.run; it is not in tests/, so the regressions do not list it).
The job file (tb.common.config) carries the case the runner validated, as
arrays, and the output path ("out"); the case is driven through the top with
the system environment (no scoreboard: the runner compares with models/) and
the RTL outputs are written once, to that path."""

import pyuvm

from tb.top.base_test import TopBaseTest
from tb.top.env import TopEnv
from tb.top.seq_lib.run_case_seq import TopRunCaseSeq


class RunCaseEnv(TopEnv):
    scoreboard_class = None


@pyuvm.test()
class run_case(TopBaseTest):
    env_class = RunCaseEnv
    seq_class = TopRunCaseSeq

    async def run_body(self):
        job = self.cfg.job
        case = {**self.cfg.arrays, **job["case_scalars"]}
        seq = self.seq_class("seq", self.cfg.rng("stimulus"), self.cfg.params, case=case, out=job["out"])
        await seq.start(self.env.vseqr)
