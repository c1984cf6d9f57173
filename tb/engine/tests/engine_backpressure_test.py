"""Storms of t_ready low: the engine must stall, never drop or duplicate a beat."""

import pyuvm

from tb.engine.base_test import EngineBaseTest
from tb.engine.seq_lib.backpressure_seq import EngineBackpressureSeq


@pyuvm.test()
class EngineBackpressureTest(EngineBaseTest):
    seq_class = EngineBackpressureSeq
