"""The start/status agent: sequencer, driver and monitor."""

from pyuvm import uvm_agent, uvm_sequencer

from tb.engine.ctrl_driver import CtrlDriver
from tb.engine.ctrl_monitor import CtrlMonitor


class CtrlAgent(uvm_agent):
    def build_phase(self):
        self.seqr = uvm_sequencer("seqr", self)
        self.driver = CtrlDriver("driver", self)
        self.monitor = CtrlMonitor("monitor", self)

    def connect_phase(self):
        self.driver.seq_item_port.connect(self.seqr.seq_item_export)
