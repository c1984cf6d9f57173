"""The top's virtual sequencer: what a virtual sequence may use, and
nothing else (no scoreboard, no env). The job's TbConfig, handles to the
host's means (the register model, the load and result agents, the irq monitor, the clock and
reset pins), the result frames as they arrive (`frames`, for a sequence that
needs the data: chained attention, run-case), and four analysis ports:
`request_ap` (GemmRequests, when the host is done with a job: to the host
monitor and the scoreboard), `outputs_ap` (CaseOutputs put together from
several GEMMs: to the scoreboard), `check_ap` (the sequences' own SeqChecks:
to the scoreboard) and `event_ap` (reset events: to the coverage)."""

from pyuvm import uvm_analysis_port, uvm_sequencer, uvm_tlm_analysis_fifo


class TopSequencer(uvm_sequencer):
    def build_phase(self):
        super().build_phase()
        self.request_ap = uvm_analysis_port("request_ap", self)
        self.outputs_ap = uvm_analysis_port("outputs_ap", self)
        self.check_ap = uvm_analysis_port("check_ap", self)
        self.event_ap = uvm_analysis_port("event_ap", self)
        self.frames = uvm_tlm_analysis_fifo("frames", self)
        # set by the env's connect_phase
        self.cfg = self.dut = self.regs = self.axil = self.loader = self.results = self.irq = None
