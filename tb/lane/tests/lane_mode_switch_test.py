"""Back-to-back accumulations, a different mode at every start, no idle cycles;
the first one after reset starts without `first`, from the reset value 0."""

import pyuvm

from tb.lane.base_test import LaneBaseTest
from tb.lane.seq_lib.mode_switch_seq import LaneModeSwitchSeq


@pyuvm.test()
class LaneModeSwitchTest(LaneBaseTest):
    seq_class = LaneModeSwitchSeq
    knobs = {"max_idle": 0, "unflagged_start": True}
