"""Lane environment: agent → scoreboard and coverage."""

import cocotb
from pyuvm import ConfigDB, uvm_env

from tb.common.agent import Agent
from tb.lane.coverage import LaneCoverage
from tb.lane.driver import LaneDriver
from tb.lane.monitor import LaneMonitor
from tb.lane.scoreboard import LaneScoreboard


class LaneAgent(Agent):
    driver_class, monitor_class = LaneDriver, LaneMonitor


class LaneEnv(uvm_env):
    def build_phase(self):
        self.dut = cocotb.top
        ConfigDB().set(None, "*", "dut", self.dut)
        self.agent = LaneAgent("agent", self)
        self.scoreboard = LaneScoreboard("scoreboard", self)
        self.coverage = LaneCoverage("coverage", self)

    def connect_phase(self):
        mon = self.agent.monitor
        mon.ap_in.connect(self.scoreboard.in_fifo.analysis_export)
        mon.ap_out.connect(self.scoreboard.out_fifo.analysis_export)
        mon.ap_in.connect(self.coverage.in_fifo.analysis_export)
        mon.ap_out.connect(self.coverage.out_fifo.analysis_export)
