"""The tile-output agent: a ready driver that plays a back-pressure pattern on
t_ready (set by the sequences) and the tile monitor. Passive otherwise: the
engine is the stream's source."""

from pyuvm import uvm_agent

from tb.common.tile_stream import TileMonitor
from tb.common.valid_ready import ReadyDriver


class TileReadyDriver(ReadyDriver):
    ready_name = "t_ready"


class TileAgent(uvm_agent):
    def build_phase(self):
        self.driver = TileReadyDriver("driver", self)
        self.monitor = TileMonitor("monitor", self)
