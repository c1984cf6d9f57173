"""Observes the softmax unit's score stream (s_*) through the generic
valid/ready monitor; the output words are observed by tb.common.word_stream.WordMonitor."""

from pyuvm import ConfigDB

from tb.common.stream_layout import unpack_lanes
from tb.common.valid_ready import ValidReadyMonitor
from tb.softmax.seq_item import XBeat


class ScoreInMonitor(ValidReadyMonitor):
    valid_name = "s_valid"
    ready_name = "s_ready"

    def start_of_simulation_phase(self):
        super().start_of_simulation_phase()
        self.lanes = ConfigDB().get(self, "", "cfg").params["LANES"]

    def sample(self):
        dut = self.dut
        return XBeat(int(dut.s_mt.value), int(dut.s_n.value), bool(dut.s_last.value),
                     unpack_lanes(int(dut.s_x.value), self.lanes, 8))
