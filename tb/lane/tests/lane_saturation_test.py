"""Accumulations that saturate the 24-bit accumulator both ways and step back."""

import pyuvm

from tb.lane.base_test import LaneBaseTest
from tb.lane.seq_lib.saturate_seq import LaneSaturateSeq


@pyuvm.test()
class LaneSaturationTest(LaneBaseTest):
    seq_class = LaneSaturateSeq
