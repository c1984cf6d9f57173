"""Top functional coverage (cocotb-coverage), names under `top.`.

- per register access (AXI4-Lite agent): register (or `unmapped`) × read/write,
  and the response;
- per STATUS read with ERROR set: the error code (every code of
  docs/interfaces.md the top raises; 11 PPU_ROWS is unreachable with the
  table sized LANES·A_DEPTH, 14 OUT_CAP is never raised: no output buffer);
- per checked GEMM (scoreboard): mode, out_mode, mode × out_mode, the
  back-pressure pattern on the result stream × out_mode, chained-attention
  steps, reuse of loaded buffers;
- per reset event (sequences): soft / hard × where it hit (idle, loading,
  computing, draining, queued: a GEMM running, one queued, a load stalled);
- per overlap event (tb/top/seq_lib/queue_seq.py): a chain started and
  continued through the queue, a load into the free bank during compute, a
  load stalled on the bank in use, a refused queued descriptor, a push into
  a full queue.
"""

from cocotb_coverage.coverage import CoverCross, CoverPoint
from pyuvm import uvm_component, uvm_subscriber

from models.numerics import MODES, OUT_MODES
from tb.top.regmodel import ERROR_CODES, REGMAP

REG_NAMES = [r.name for r in REGMAP.registers] + ["unmapped"]
RAISED_CODES = [c for c in ERROR_CODES if c not in (11, 14)]
BP_BINS = ["none", "random", "storm"]
RESET_KINDS = ["soft", "hard"]
RESET_PHASES = ["idle", "loading", "computing", "draining", "queued"]
OVERLAP_EVENTS = ["chain_start", "chain", "load_during_compute", "load_stalled_busy_bank", "queued_refused",
                  "queue_full"]


@CoverPoint("top.reg.name", xf=lambda a: a.name or "unmapped", bins=REG_NAMES)
@CoverPoint("top.reg.kind", xf=lambda a: a.kind, bins=["read", "write"])
@CoverPoint("top.reg.resp", xf=lambda a: {0: "OKAY", 2: "SLVERR"}.get(a.resp, "other"), bins=["OKAY", "SLVERR"])
@CoverCross("top.reg.name_x_kind", items=["top.reg.name", "top.reg.kind"])
def sample_access(a):
    """Sampling function: the decorators do the work."""


@CoverPoint("top.error_code", xf=lambda code: code, bins=RAISED_CODES)
def sample_error(code):
    """Sampling function: the decorators do the work."""


@CoverPoint("top.gemm.mode", xf=lambda j: j.mode_name, bins=list(MODES))
@CoverPoint("top.gemm.out_mode", xf=lambda j: j.out_mode_name, bins=list(OUT_MODES))
@CoverPoint("top.gemm.backpressure", xf=lambda j: j.backpressure, bins=BP_BINS)
@CoverPoint("top.gemm.tag", xf=lambda j: j.tag, bins=["attention_scores", "attention_context", "reuse"])
@CoverCross("top.gemm.mode_x_out_mode", items=["top.gemm.mode", "top.gemm.out_mode"])
@CoverCross("top.gemm.out_mode_x_backpressure", items=["top.gemm.out_mode", "top.gemm.backpressure"])
def sample_gemm(job):
    """Sampling function: the decorators do the work."""


@CoverPoint("top.reset.kind", xf=lambda kind, phase: kind, bins=RESET_KINDS)
@CoverPoint("top.reset.phase", xf=lambda kind, phase: phase, bins=RESET_PHASES)
@CoverCross("top.reset.kind_x_phase", items=["top.reset.kind", "top.reset.phase"])
def sample_reset(kind, phase):
    """Sampling function: the decorators do the work."""


@CoverPoint("top.overlap.event", xf=lambda what: what, bins=OVERLAP_EVENTS)
def sample_overlap(what):
    """Sampling function: the decorators do the work."""


class TopCoverage(uvm_component):
    def build_phase(self):
        self.reg_export = uvm_subscriber.uvm_AnalysisImp("reg_export", self, self.write_access)
        self.gemm_export = uvm_subscriber.uvm_AnalysisImp("gemm_export", self, self.write_gemm)
        self.event_export = uvm_subscriber.uvm_AnalysisImp("event_export", self, self.write_event)

    def write_access(self, a):
        sample_access(a)
        if a.kind == "read" and a.name == "STATUS" and a.data & 0x4:
            sample_error((a.data >> 8) & 0xF)

    def write_gemm(self, item):
        # An accepted GEMM that ran to its end (status read back, or a reset
        # overtook it after its last word, before the host could read it).
        req, obs, frame = item
        if frame is not None and (obs.accepted or not obs.status_known):
            sample_gemm(req)

    def write_event(self, ev):
        kind, *args = ev
        if kind == "reset":
            sample_reset(*args)
        elif kind == "overlap":
            sample_overlap(*args)
