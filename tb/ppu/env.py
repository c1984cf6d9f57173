"""PPU environment: the input agent (job driver + tile monitor) and the
output agent (o_ready back-pressure + word monitor) feed the scoreboard,
whose checked jobs feed the coverage."""

import cocotb
from pyuvm import ConfigDB, uvm_env

from tb.ppu.agent import PpuInAgent, WordOutAgent
from tb.ppu.coverage import PpuCoverage
from tb.ppu.scoreboard import PpuScoreboard


class PpuEnv(uvm_env):
    def build_phase(self):
        self.dut = cocotb.top
        ConfigDB().set(None, "*", "dut", self.dut)
        self.in_agent = PpuInAgent("in_agent", self)
        self.out_agent = WordOutAgent("out_agent", self)
        self.scoreboard = PpuScoreboard("scoreboard", self)
        self.coverage = PpuCoverage("coverage", self)

    def connect_phase(self):
        self.in_agent.driver.ready_driver = self.out_agent.driver
        self.in_agent.driver.ap.connect(self.scoreboard.job_fifo.analysis_export)
        self.in_agent.monitor.ap.connect(self.scoreboard.in_fifo.analysis_export)
        self.out_agent.monitor.ap.connect(self.scoreboard.out_fifo.analysis_export)
        self.scoreboard.ap.connect(self.coverage.fifo.analysis_export)
