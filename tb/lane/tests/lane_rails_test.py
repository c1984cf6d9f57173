"""Every element at a rail (most negative / most positive / zero) with scales
0, 1 and 255, in every mode."""

import pyuvm

from tb.lane.base_test import LaneBaseTest
from tb.lane.seq_lib.rails_seq import LaneRailsSeq


@pyuvm.test()
class LaneRailsTest(LaneBaseTest):
    seq_class = LaneRailsSeq
