"""Top environment: the AXI4-Lite agent with the register model generated
from rdl/vsq_top.rdl, the load (AXI4-Stream source) and result
(AXI4-Stream sink) agents, the irq monitor, the X/Z check, the scoreboard
and the coverage.

Sequences publish finished GemmJobs on `job_ap` (→ scoreboard) and reset
events on `event_ap` (→ coverage); result frames reach the scoreboard and
`seq_frames`, a FIFO the sequences read when they need the data (chained
attention, run-case)."""

import cocotb
from pyuvm import ConfigDB, uvm_analysis_port, uvm_env, uvm_tlm_analysis_fifo

from tb.top.axil_agent import AxilAgent
from tb.top.coverage import TopCoverage
from tb.top.regmodel import RegModel
from tb.top.scoreboard import TopScoreboard
from tb.top.stream_agents import IrqMonitor, LoadAgent, ResultAgent
from tb.top.xcheck import XCheck


class TopEnv(uvm_env):
    scoreboard_class = TopScoreboard

    def build_phase(self):
        self.dut = cocotb.top
        ConfigDB().set(None, "*", "dut", self.dut)
        self.cfg = ConfigDB().get(self, "", "cfg")
        self.axil = AxilAgent("axil", self)
        self.loader = LoadAgent("loader", self)
        self.results = ResultAgent("results", self)
        self.irq = IrqMonitor("irq", self)
        self.xcheck = XCheck("xcheck", self)
        self.scoreboard = self.scoreboard_class("scoreboard", self) if self.scoreboard_class else None
        self.coverage = TopCoverage("coverage", self)
        self.seq_frames = uvm_tlm_analysis_fifo("seq_frames", self)
        self.job_ap = uvm_analysis_port("job_ap", self)
        self.event_ap = uvm_analysis_port("event_ap", self)
        self.regs = RegModel(self.axil, self.cfg.params)

    def connect_phase(self):
        self.axil.ap.connect(self.coverage.reg_export)
        self.results.ap.connect(self.seq_frames.analysis_export)
        self.event_ap.connect(self.coverage.event_export)
        if self.scoreboard is not None:
            self.job_ap.connect(self.scoreboard.job_fifo.analysis_export)
            self.results.ap.connect(self.scoreboard.frame_fifo.analysis_export)
            self.scoreboard.ap.connect(self.coverage.gemm_export)
