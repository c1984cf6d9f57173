"""Top environment: the AXI4-Lite agent with the register model generated
from rdl/vsq_top.rdl, the load (AXI4-Stream source) and result
(AXI4-Stream sink) agents, the irq monitor, the host monitor, the X/Z check,
the scoreboard, the coverage, and the virtual sequencer the sequences run on.

Requests: the sequences publish each finished GemmRequest on the
sequencer's `request_ap` (→ host monitor, scoreboard), the outputs of a case
they ran in chunks on `outputs_ap` and their own checks on `check_ap`
(→ scoreboard). Observations: the host monitor's
GemmObservation of each request (from the AXI4-Lite accesses and the irq
pin) and the result agent's frames (→ scoreboard, and the sequencer's
`frames` for the sequences that need the data). Register accesses and
reset events go to the coverage, the checked jobs from the scoreboard too."""

import cocotb
from pyuvm import ConfigDB, uvm_env

from tb.top.axil_agent import AxilAgent
from tb.top.coverage import TopCoverage
from tb.top.host_monitor import HostMonitor
from tb.top.regmodel import RegModel
from tb.top.scoreboard import TopScoreboard
from tb.top.sequencer import TopSequencer
from tb.top.stream_agents import IrqMonitor, LoadAgent, ResultAgent
from tb.top.xcheck import XCheck


class TopEnv(uvm_env):
    scoreboard_class = TopScoreboard
    # The bus agents (tb/topfast swaps in its fast path with the same API).
    axil_agent_class, load_agent_class, result_agent_class = AxilAgent, LoadAgent, ResultAgent

    def build_phase(self):
        self.dut = cocotb.top
        ConfigDB().set(None, "*", "dut", self.dut)
        self.cfg = ConfigDB().get(self, "", "cfg")
        self.axil = self.axil_agent_class("axil", self)
        self.loader = self.load_agent_class("loader", self)
        self.results = self.result_agent_class("results", self)
        self.irq = IrqMonitor("irq", self)
        self.host = HostMonitor("host", self)
        self.xcheck = XCheck("xcheck", self)
        self.scoreboard = self.scoreboard_class("scoreboard", self) if self.scoreboard_class else None
        self.coverage = TopCoverage("coverage", self)
        self.vseqr = TopSequencer("vseqr", self)
        self.regs = RegModel(self.axil, self.cfg.params)

    def connect_phase(self):
        seqr = self.vseqr
        seqr.cfg, seqr.dut, seqr.regs, seqr.axil = self.cfg, self.dut, self.regs, self.axil
        seqr.loader, seqr.results, seqr.irq = self.loader, self.results, self.irq
        self.axil.ap.connect(self.coverage.reg_export)
        self.axil.ap.connect(self.host.access_export)
        self.results.ap.connect(seqr.frames.analysis_export)
        seqr.event_ap.connect(self.coverage.event_export)
        # The host monitor first: it publishes the request's observation.
        seqr.request_ap.connect(self.host.request_export)
        if self.scoreboard is not None:
            sb = self.scoreboard
            seqr.request_ap.connect(sb.request_fifo.analysis_export)
            seqr.outputs_ap.connect(sb.outputs_export)
            seqr.check_ap.connect(sb.check_export)
            self.host.ap.connect(sb.observation_fifo.analysis_export)
            self.results.ap.connect(sb.frame_fifo.analysis_export)
            sb.ap.connect(self.coverage.gemm_export)
