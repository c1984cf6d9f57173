"""Observes the lane's pins: every accepted step (decoded back from the
buses) goes to `ap_in`, every result (acc and saturation flags) to `ap_out`."""

from cocotb.triggers import ReadOnly, RisingEdge
from pyuvm import ConfigDB, uvm_analysis_port, uvm_component

from models.contract import MODE_NAMES
from models.words import unpack_words
from tb.lane.seq_item import LaneStep


class LaneResult:
    def __init__(self, acc, sat_pos, sat_neg):
        self.acc, self.sat_pos, self.sat_neg = acc, sat_pos, sat_neg


class LaneMonitor(uvm_component):
    def build_phase(self):
        self.ap_in = uvm_analysis_port("ap_in", self)
        self.ap_out = uvm_analysis_port("ap_out", self)
        self.vec = ConfigDB().get(self, "", "cfg").params["VEC"]

    def start_of_simulation_phase(self):
        self.dut = ConfigDB().get(self, "", "dut")

    def decode(self, bus, mode):
        q, _ = unpack_words([int(bus)], mode, self.vec)
        return q[0]

    async def run_phase(self):
        dut = self.dut
        while True:
            await RisingEdge(dut.clk)
            await ReadOnly()
            if not dut.rst_n.value:
                continue
            if dut.out_valid.value:
                self.ap_out.write(LaneResult(dut.acc.value.to_signed(),
                                             bool(dut.sat_pos.value), bool(dut.sat_neg.value)))
            if dut.in_valid.value:
                mode = MODE_NAMES[int(dut.mode.value)]
                self.ap_in.write(LaneStep(
                    mode=mode, first=bool(dut.in_first.value),
                    a=self.decode(dut.a.value, mode), sa=int(dut.sa.value),
                    b=self.decode(dut.b.value, mode), sb=int(dut.sb.value)))
