"""Engine functional coverage (cocotb-coverage), names under `engine.`.

Per finished GEMM (from the scoreboard's `ap_done`): mode, beat order,
shape (m-tiles, n-tiles, single tile / many tiles, K/V = 1 / in between /
the largest that fits), saturation seen by the lanes (sat_seen), and
back-pressure (stall cycles on the tile stream: none, some, storm = at least
one stall per beat); crosses mode × K/V and mode × order. Per start event:
every refusal code, starts while busy, clears while idle / mid-GEMM.
"""

from cocotb_coverage.coverage import CoverCross, CoverPoint
from pyuvm import ConfigDB, uvm_component, uvm_subscriber

from models.numerics import MODES
from tb.engine.refusal import ENGINE_CODES
from tb.engine.seq_item import MODE_NAME


def kv_max(params):
    """The largest K/V of any legal GEMM (M = LANES, N = ACC_DEPTH)."""
    return min(params["A_DEPTH"], params["B_DEPTH"] // params["ACC_DEPTH"])


class GemmSample:
    def __init__(self, g, done, params):
        e = g.ev
        self.mode = MODE_NAME[e.mode]
        self.n_outer = e.n_outer
        self.m_tiles = e.m // params["LANES"]
        self.n_tiles = e.n // params["ACC_DEPTH"]
        kv = g.steps // (self.m_tiles * e.n)
        self.k_steps = "1" if kv == 1 else "max" if kv == kv_max(params) else "2..max-1"
        self.sat = {0: "none", 1: "pos", 2: "neg", 3: "both"}[done.sat_seen & 3]
        beats = len(g.order)
        self.bp = "none" if g.stalls == 0 else "storm" if g.stalls >= beats else "some"


def count_bin(n):
    return "1" if n == 1 else "2..3" if n <= 3 else "4+"


@CoverPoint("engine.mode", xf=lambda s: s.mode, bins=list(MODES))
@CoverPoint("engine.n_outer", xf=lambda s: s.n_outer, bins=[0, 1])
@CoverPoint("engine.shape.m_tiles", xf=lambda s: count_bin(s.m_tiles), bins=["1", "2..3", "4+"])
@CoverPoint("engine.shape.n_tiles", xf=lambda s: count_bin(s.n_tiles), bins=["1", "2..3", "4+"])
@CoverPoint("engine.shape.tiles", xf=lambda s: "single" if s.m_tiles * s.n_tiles == 1 else "many",
            bins=["single", "many"])
@CoverPoint("engine.shape.k_steps", xf=lambda s: s.k_steps, bins=["1", "2..max-1", "max"])
@CoverPoint("engine.sat", xf=lambda s: s.sat, bins=["none", "pos", "neg", "both"])
@CoverPoint("engine.backpressure", xf=lambda s: s.bp, bins=["none", "some", "storm"])
@CoverCross("engine.mode_x_k_steps", items=["engine.mode", "engine.shape.k_steps"])
@CoverCross("engine.mode_x_n_outer", items=["engine.mode", "engine.n_outer"])
def sample_gemm(s):
    """Sampling function: the decorators do the work."""


@CoverPoint("engine.err_code", xf=lambda ev: ev.err_code if ev.err else None, bins=list(ENGINE_CODES))
@CoverPoint("engine.start_while_busy", xf=lambda ev: bool(ev.busy_before), bins=[True, False])
def sample_start(ev):
    """Sampling function: the decorators do the work."""


@CoverPoint("engine.clear", xf=lambda ev: "mid_gemm" if ev.busy_before else "idle", bins=["idle", "mid_gemm"])
def sample_clear(ev):
    """Sampling function: the decorators do the work."""


class EngineCoverage(uvm_component):
    def build_phase(self):
        self.params = ConfigDB().get(self, "", "cfg").params
        self.gemm_export = uvm_subscriber.uvm_AnalysisImp("gemm_export", self, self.write_gemm)
        self.ctrl_export = uvm_subscriber.uvm_AnalysisImp("ctrl_export", self, self.write_ctrl)

    def write_gemm(self, item):
        g, done = item
        sample_gemm(GemmSample(g, done, self.params))

    def write_ctrl(self, ev):
        if ev.kind == "start":
            sample_start(ev)
        elif ev.kind == "clear":
            sample_clear(ev)
