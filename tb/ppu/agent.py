"""The PPU's agents: the input agent (sequencer, job driver, tile-beat
monitor) and the output agent (o_ready back-pressure driver, word monitor)."""

from tb.common.agent import Agent
from tb.common.tile_stream import TileMonitor
from tb.common.valid_ready import ReadyDriver
from tb.ppu.driver import PpuDriver
from tb.ppu.monitor import WordMonitor


class OutReadyDriver(ReadyDriver):
    ready_name = "o_ready"


class PpuInAgent(Agent):
    driver_class, monitor_class = PpuDriver, TileMonitor


class WordOutAgent(Agent):
    """Output side, shared with the softmax bench."""
    driver_class, monitor_class, with_sequencer = OutReadyDriver, WordMonitor, False
