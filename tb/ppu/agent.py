"""The PPU's input agent (sequencer, job driver, tile-beat monitor); its
output side is the shared tb.common.word_stream.WordOutAgent."""

from tb.common.agent import Agent
from tb.common.tile_stream import TileMonitor
from tb.ppu.driver import PpuDriver


class PpuInAgent(Agent):
    driver_class, monitor_class = PpuDriver, TileMonitor
