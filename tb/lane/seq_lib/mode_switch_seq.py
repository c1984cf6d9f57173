"""Back-to-back accumulations whose mode changes at every start, with no
idle cycles, so that a mode change lands on the very next step."""

from models.numerics import MODES
from tb.lane.seq_item import random_vectors
from tb.lane.seq_lib.base_seq import LaneBaseSeq


class LaneModeSwitchSeq(LaneBaseSeq):
    def accumulations(self):
        prev = None
        for _ in range(self.knobs.get("count", 48)):
            others = [m for m in MODES if m != prev]
            mode = prev = others[int(self.rng.integers(len(others)))]
            n = int(self.rng.integers(1, 4))
            yield (mode, *random_vectors(self.rng, mode, self.vec, n))
