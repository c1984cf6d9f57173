"""Engine environment: buffer, control and tile agents → scoreboard → coverage."""

import cocotb
from pyuvm import ConfigDB, uvm_env

from tb.common.agent import Agent
from tb.common.tile_stream import TileMonitor
from tb.common.valid_ready import ReadyDriver
from tb.engine.buffer_driver import BufferDriver
from tb.engine.buffer_monitor import BufferMonitor
from tb.engine.coverage import EngineCoverage
from tb.engine.ctrl_driver import CtrlDriver
from tb.engine.ctrl_monitor import CtrlMonitor
from tb.engine.scoreboard import EngineScoreboard


class BufferAgent(Agent):
    """The A/B buffer write ports."""
    driver_class, monitor_class = BufferDriver, BufferMonitor


class CtrlAgent(Agent):
    """The start/status interface."""
    driver_class, monitor_class = CtrlDriver, CtrlMonitor


class TileReadyDriver(ReadyDriver):
    ready_name = "t_ready"


class TileAgent(Agent):
    """The tile output: a ready driver playing a back-pressure pattern on
    t_ready (set by the sequences) and the tile monitor. Passive otherwise:
    the engine is the stream's source."""
    driver_class, monitor_class, with_sequencer = TileReadyDriver, TileMonitor, False


class EngineEnv(uvm_env):
    def build_phase(self):
        self.dut = cocotb.top
        ConfigDB().set(None, "*", "dut", self.dut)
        self.buffer_agent = BufferAgent("buffer_agent", self)
        self.ctrl_agent = CtrlAgent("ctrl_agent", self)
        self.tile_agent = TileAgent("tile_agent", self)
        self.scoreboard = EngineScoreboard("scoreboard", self)
        self.coverage = EngineCoverage("coverage", self)

    def connect_phase(self):
        sb = self.scoreboard
        self.buffer_agent.monitor.ap.connect(sb.buf_export)
        self.ctrl_agent.monitor.ap.connect(sb.ctrl_export)
        self.ctrl_agent.monitor.ap.connect(self.coverage.ctrl_export)
        self.tile_agent.monitor.ap.connect(sb.tile_export)
        sb.ap_done.connect(self.coverage.gemm_export)
