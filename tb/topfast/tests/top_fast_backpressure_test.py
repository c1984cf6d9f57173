"""The fast path under back-pressure (tb/topfast/README.md): top_backpressure_test's
sequence (every out_mode, random and storm TREADY patterns, idle gaps on the
load stream) with the beats played and recorded and the registers accessed
by the model; bit-exact against the model, every word once, in order (the
top's scoreboard), and the patterns must have held beats back on both
streams. Verilator only, so the paper configuration (make test runs it there)."""

import pyuvm

from tb.top.base_test import TopBaseTest
from tb.top.seq_lib.backpressure_seq import TopBackpressureSeq
from tb.topfast.env import TopFastEnv
from tb.topfast.fast_lib import FastStreamLib

PARAM_SETS = ("paper",)


@pyuvm.test()
class TopFastBackpressureTest(TopBaseTest):
    env_class = TopFastEnv
    seq_class = TopBackpressureSeq

    def check_phase(self):
        idle, stall = FastStreamLib.get().pattern_effect()
        self.logger.info(f"fast path: {idle} load cycles held by the idle pattern, {stall} result stall cycles")
        assert idle > 0 and stall > 0, (f"back-pressure not applied by the fast path (load idle {idle}, "
                                        f"result stall {stall} cycles). Reproduce: {self.cfg.repro()}")
