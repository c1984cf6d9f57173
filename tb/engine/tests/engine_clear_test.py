"""Soft reset (clear) mid-GEMM: no beat after it, the next GEMM bit-exact."""

import pyuvm

from tb.engine.base_test import EngineBaseTest
from tb.engine.seq_lib.clear_seq import EngineClearSeq


@pyuvm.test()
class EngineClearTest(EngineBaseTest):
    seq_class = EngineClearSeq
