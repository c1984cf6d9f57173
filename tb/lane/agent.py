"""The lane's one agent: sequencer, driver and monitor."""

from pyuvm import uvm_agent, uvm_sequencer

from tb.lane.driver import LaneDriver
from tb.lane.monitor import LaneMonitor


class LaneAgent(uvm_agent):
    def build_phase(self):
        self.seqr = uvm_sequencer("seqr", self)
        self.driver = LaneDriver("driver", self)
        self.monitor = LaneMonitor("monitor", self)

    def connect_phase(self):
        self.driver.seq_item_port.connect(self.seqr.seq_item_export)
