"""Random accumulations in random modes, lengths and scales."""

from models.numerics import MODES
from tb.lane.seq_item import random_vectors
from tb.lane.seq_lib.base_seq import LaneBaseSeq


class LaneRandomSeq(LaneBaseSeq):
    def accumulations(self):
        for _ in range(self.knobs.get("count", 60)):
            mode = MODES[self.rng.integers(len(MODES))]
            n = int(self.rng.integers(1, self.knobs.get("max_len", 12) + 1))
            yield (mode, *random_vectors(self.rng, mode, self.vec, n))
