"""The one agent shape of the benches: a driver and a monitor named by class
attributes, and for an active agent a sequencer feeding the driver. Passive
sides (a ready driver playing back-pressure on a stream the DUT sources) set
`with_sequencer = False`: no sequencer."""

from pyuvm import uvm_agent, uvm_sequencer


class Agent(uvm_agent):
    driver_class = monitor_class = None  # set by each subclass
    with_sequencer = True  # build a sequencer and connect the driver to it

    def build_phase(self):
        if self.with_sequencer:
            self.seqr = uvm_sequencer("seqr", self)
        self.driver = self.driver_class("driver", self)
        self.monitor = self.monitor_class("monitor", self)

    def connect_phase(self):
        if self.with_sequencer:
            self.driver.seq_item_port.connect(self.seqr.seq_item_export)
