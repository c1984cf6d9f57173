"""The output word stream (o_valid / o_ready, o_data, o_n, o_grp, o_row,
o_last) of the PPU and the softmax unit, observed and back-pressured the same
way by both benches: `WordOutAgent` is a ready driver playing back-pressure
on o_ready and a `WordMonitor` publishing one `OutWord` per handshake through
the generic valid/ready monitor (the layout of the words is
tb/common/stream_layout.py)."""

from dataclasses import dataclass

from tb.common.agent import Agent
from tb.common.valid_ready import ReadyDriver, ValidReadyMonitor


@dataclass
class OutWord:
    """One handshake of the output word stream."""
    data: int
    n: int
    grp: int
    row: int
    last: bool


class WordMonitor(ValidReadyMonitor):
    valid_name = "o_valid"
    ready_name = "o_ready"

    def sample(self):
        dut = self.dut
        return OutWord(int(dut.o_data.value), int(dut.o_n.value), int(dut.o_grp.value),
                       int(dut.o_row.value), bool(dut.o_last.value))


class OutReadyDriver(ReadyDriver):
    ready_name = "o_ready"


class WordOutAgent(Agent):
    """The output side: passive (the unit sources the stream) but for o_ready."""
    driver_class, monitor_class, with_sequencer = OutReadyDriver, WordMonitor, False
