"""The tile stream (t_valid / t_ready, t_acc, t_mt, t_n, t_last): the
engine's output and the PPU's input, observed the same way by both benches.
`TileMonitor` publishes one `TileBeat` per handshake through the generic
valid/ready monitor, the LANES signed 24-bit accumulators decoded at once
with the stream's packing (tb/common/stream_layout.py, docs/rtl-ppu.md)."""

from dataclasses import dataclass, field

import numpy as np
from pyuvm import ConfigDB

from tb.common.valid_ready import ValidReadyMonitor
from tb.common.stream_layout import unpack_lanes

ACC_BITS = 24


@dataclass
class TileBeat:
    """One handshake of the tile stream."""
    mt: int
    n: int
    last: bool
    acc: np.ndarray = field(repr=False)  # int64 [LANES]


class TileMonitor(ValidReadyMonitor):
    valid_name = "t_valid"
    ready_name = "t_ready"

    def start_of_simulation_phase(self):
        super().start_of_simulation_phase()
        self.lanes = ConfigDB().get(self, "", "cfg").params["LANES"]

    def sample(self):
        dut = self.dut
        return TileBeat(int(dut.t_mt.value), int(dut.t_n.value), bool(dut.t_last.value),
                        unpack_lanes(int(dut.t_acc.value), self.lanes, ACC_BITS))
