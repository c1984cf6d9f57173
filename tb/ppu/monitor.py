"""Observes the PPU's two streams through the generic valid/ready monitor:
every accepted tile beat (t_*, LANES signed 24-bit accumulators decoded at
once) and every output word (o_data with its sideband)."""

from pyuvm import ConfigDB

from tb.common.valid_ready import ValidReadyMonitor
from tb.ppu.layout import unpack_lanes
from tb.ppu.seq_item import OutWord, TileBeat


class TileInMonitor(ValidReadyMonitor):
    valid_name = "t_valid"
    ready_name = "t_ready"

    def start_of_simulation_phase(self):
        super().start_of_simulation_phase()
        self.lanes = ConfigDB().get(self, "", "cfg").params["LANES"]

    def sample(self):
        dut = self.dut
        return TileBeat(int(dut.t_mt.value), int(dut.t_n.value), bool(dut.t_last.value),
                        unpack_lanes(int(dut.t_acc.value), self.lanes, 24))


class WordMonitor(ValidReadyMonitor):
    """The output word stream (o_*), shared with the softmax bench."""
    valid_name = "o_valid"
    ready_name = "o_ready"

    def sample(self):
        dut = self.dut
        return OutWord(int(dut.o_data.value), int(dut.o_n.value), int(dut.o_grp.value),
                       int(dut.o_row.value), bool(dut.o_last.value))
