"""Random accumulations in every mode, with random idle cycles."""

import pyuvm

from tb.lane.base_test import LaneBaseTest
from tb.lane.seq_lib.random_seq import LaneRandomSeq


@pyuvm.test()
class LaneRandomTest(LaneBaseTest):
    seq_class = LaneRandomSeq
