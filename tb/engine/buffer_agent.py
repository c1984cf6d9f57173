"""The buffer write agent: sequencer, driver and monitor of the A/B write ports."""

from pyuvm import uvm_agent, uvm_sequencer

from tb.engine.buffer_driver import BufferDriver
from tb.engine.buffer_monitor import BufferMonitor


class BufferAgent(uvm_agent):
    def build_phase(self):
        self.seqr = uvm_sequencer("seqr", self)
        self.driver = BufferDriver("driver", self)
        self.monitor = BufferMonitor("monitor", self)

    def connect_phase(self):
        self.driver.seq_item_port.connect(self.seqr.seq_item_export)
