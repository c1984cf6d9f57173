"""Every refusal code (and random multi-rule violations, lowest code wins),
nothing emitted for refused starts, a start while busy ignored, then legal
GEMMs that must be bit-exact."""

import pyuvm

from tb.engine.base_test import EngineBaseTest
from tb.engine.seq_lib.illegal_seq import EngineIllegalSeq


@pyuvm.test()
class EngineIllegalShapeTest(EngineBaseTest):
    seq_class = EngineIllegalSeq
