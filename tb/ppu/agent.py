"""The PPU's agents: the input agent (sequencer, job driver, tile-beat
monitor) and the output agent (o_ready back-pressure driver, word monitor)."""

from pyuvm import uvm_agent, uvm_sequencer

from tb.common.tile_stream import TileMonitor
from tb.common.valid_ready import ReadyDriver
from tb.ppu.driver import PpuDriver
from tb.ppu.monitor import WordMonitor


class OutReadyDriver(ReadyDriver):
    ready_name = "o_ready"


class PpuInAgent(uvm_agent):
    def build_phase(self):
        self.seqr = uvm_sequencer("seqr", self)
        self.driver = PpuDriver("driver", self)
        self.monitor = TileMonitor("monitor", self)

    def connect_phase(self):
        self.driver.seq_item_port.connect(self.seqr.seq_item_export)


class WordOutAgent(uvm_agent):
    """Output side, shared with the softmax bench."""

    def build_phase(self):
        self.driver = OutReadyDriver("driver", self)
        self.monitor = WordMonitor("monitor", self)
