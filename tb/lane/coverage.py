"""Lane functional coverage (cocotb-coverage), sampled per observed step with
its result: modes, every operand value on each side, scale extremes,
saturation events both ways, and mode × saturation."""

from cocotb_coverage.coverage import CoverCross, CoverPoint
from pyuvm import uvm_component, uvm_tlm_analysis_fifo

from models.numerics import MODES

INT4_VALUES = list(range(-8, 8))
INT8_VALUES = list(range(-128, 128))
SCALE_BINS = ["0", "1..254", "255"]
SAT_BINS = ["none", "pos", "neg"]


def scale_bin(s):
    return "0" if s == 0 else "255" if s == 255 else "1..254"


def values(elems):
    return set(int(x) for x in elems)


@CoverPoint("lane.mode", xf=lambda st, r: st.mode, bins=list(MODES))
@CoverPoint("lane.a_int4", xf=lambda st, r: values(st.a) if st.mode != "int8" else set(),
            bins=INT4_VALUES, rel=lambda seen, b: b in seen, inj=False)
@CoverPoint("lane.b_int4", xf=lambda st, r: values(st.b) if st.mode != "int8" else set(),
            bins=INT4_VALUES, rel=lambda seen, b: b in seen, inj=False)
@CoverPoint("lane.a_int8", xf=lambda st, r: values(st.a) if st.mode == "int8" else set(),
            bins=INT8_VALUES, rel=lambda seen, b: b in seen, inj=False)
@CoverPoint("lane.b_int8", xf=lambda st, r: values(st.b) if st.mode == "int8" else set(),
            bins=INT8_VALUES, rel=lambda seen, b: b in seen, inj=False)
@CoverPoint("lane.sa", xf=lambda st, r: scale_bin(st.sa) if st.mode == "int4_vsq" else None, bins=SCALE_BINS)
@CoverPoint("lane.sb", xf=lambda st, r: scale_bin(st.sb) if st.mode == "int4_vsq" else None, bins=SCALE_BINS)
@CoverPoint("lane.sat", xf=lambda st, r: "pos" if r.sat_pos else "neg" if r.sat_neg else "none", bins=SAT_BINS)
@CoverPoint("lane.first", xf=lambda st, r: st.first, bins=[True, False])
@CoverCross("lane.mode_x_sat", items=["lane.mode", "lane.sat"])
def sample(step, result):
    """Sampling function: the decorators do the work."""


class LaneCoverage(uvm_component):
    def build_phase(self):
        self.in_fifo = uvm_tlm_analysis_fifo("in_fifo", self)
        self.out_fifo = uvm_tlm_analysis_fifo("out_fifo", self)

    async def run_phase(self):
        while True:
            step = await self.in_fifo.get()
            result = await self.out_fifo.get()
            sample(step, result)
