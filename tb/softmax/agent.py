"""The softmax unit's input agent (sequencer, job driver, score monitor); the
output side is tb.ppu.agent.WordOutAgent."""

from pyuvm import uvm_agent, uvm_sequencer

from tb.softmax.driver import SoftmaxDriver
from tb.softmax.monitor import ScoreInMonitor


class SoftmaxInAgent(uvm_agent):
    def build_phase(self):
        self.seqr = uvm_sequencer("seqr", self)
        self.driver = SoftmaxDriver("driver", self)
        self.monitor = ScoreInMonitor("monitor", self)

    def connect_phase(self):
        self.driver.seq_item_port.connect(self.seqr.seq_item_export)
