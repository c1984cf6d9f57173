"""Engine environment: buffer, control and tile agents → scoreboard → coverage."""

import cocotb
from pyuvm import ConfigDB, uvm_env

from tb.engine.buffer_agent import BufferAgent
from tb.engine.coverage import EngineCoverage
from tb.engine.ctrl_agent import CtrlAgent
from tb.engine.scoreboard import EngineScoreboard
from tb.engine.tile_agent import TileAgent


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
