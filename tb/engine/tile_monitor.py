"""Observes the tile-output stream: one TileBeat per handshake (the LANES
signed 24-bit accumulators decoded at once with numpy), with the stall
cycles before it, via the generic valid/ready monitor."""

import numpy as np
from pyuvm import ConfigDB

from tb.common.valid_ready import ValidReadyMonitor
from tb.engine.seq_item import TileBeat


class TileMonitor(ValidReadyMonitor):
    valid_name = "t_valid"
    ready_name = "t_ready"

    def start_of_simulation_phase(self):
        super().start_of_simulation_phase()
        self.lanes = ConfigDB().get(self, "", "cfg").params["LANES"]

    def sample(self):
        dut = self.dut
        raw = int(dut.t_acc.value).to_bytes(self.lanes * 3, "little")
        b = np.frombuffer(raw, dtype=np.uint8).reshape(self.lanes, 3).astype(np.int64)
        acc = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        acc = (acc ^ 0x800000) - 0x800000
        return TileBeat(int(dut.t_mt.value), int(dut.t_n.value), bool(dut.t_last.value), acc)
