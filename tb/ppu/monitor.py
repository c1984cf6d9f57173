"""Observes the PPU's output word stream (o_data with its sideband) through
the generic valid/ready monitor; shared with the softmax bench. The input
tile stream is observed by tb.common.tile_stream.TileMonitor."""

from tb.common.valid_ready import ValidReadyMonitor
from tb.ppu.seq_item import OutWord


class WordMonitor(ValidReadyMonitor):
    """The output word stream (o_*), shared with the softmax bench."""
    valid_name = "o_valid"
    ready_name = "o_ready"

    def sample(self):
        dut = self.dut
        return OutWord(int(dut.o_data.value), int(dut.o_n.value), int(dut.o_grp.value),
                       int(dut.o_row.value), bool(dut.o_last.value))
