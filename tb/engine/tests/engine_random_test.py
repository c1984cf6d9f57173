"""Random legal GEMMs in every mode: single tile, many tiles, K/V = 1 and K/V = max,
both beat orders, mild random back-pressure."""

import pyuvm

from tb.engine.base_test import EngineBaseTest
from tb.engine.seq_lib.random_seq import EngineRandomSeq


@pyuvm.test()
class EngineRandomTest(EngineBaseTest):
    seq_class = EngineRandomSeq
