"""cocotb test module of `make run-case` (tools/run_case_rtl.py starts it; it
is not in tests/, so the regressions do not list it). Reads the case named
by VSQ_CASE, drives it through the top with the system environment (no
scoreboard: the runner compares with models/) and writes the RTL outputs to
VSQ_CASE_OUT."""

import os

import pyuvm

from models.case import load_case
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
        case = load_case(os.environ["VSQ_CASE"])
        seq = self.seq_class("seq", self.cfg.rng("stimulus"), self.cfg.params,
                             case=case, out=os.environ["VSQ_CASE_OUT"])
        await seq.start(self.env.vseqr)
