"""Environment of a unit-job bench (PPU, softmax): the input agent (job
driver + input beat monitor) and the output agent (o_ready back-pressure +
word monitor) feed the scoreboard, whose checked jobs feed the coverage.
The input driver plays the job's back-pressure through the output agent's
ready driver. Subclasses name the four component classes."""

import cocotb
from pyuvm import ConfigDB, uvm_env


class UnitJobEnv(uvm_env):
    in_agent_class = out_agent_class = scoreboard_class = coverage_class = None

    def build_phase(self):
        self.dut = cocotb.top
        ConfigDB().set(None, "*", "dut", self.dut)
        self.in_agent = self.in_agent_class("in_agent", self)
        self.out_agent = self.out_agent_class("out_agent", self)
        self.scoreboard = self.scoreboard_class("scoreboard", self)
        self.coverage = self.coverage_class("coverage", self)

    def connect_phase(self):
        self.in_agent.driver.ready_driver = self.out_agent.driver
        self.in_agent.driver.ap.connect(self.scoreboard.job_fifo.analysis_export)
        self.in_agent.monitor.ap.connect(self.scoreboard.in_fifo.analysis_export)
        self.out_agent.monitor.ap.connect(self.scoreboard.out_fifo.analysis_export)
        self.scoreboard.ap.connect(self.coverage.fifo.analysis_export)
