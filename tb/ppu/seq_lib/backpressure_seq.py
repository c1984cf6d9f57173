"""Every out_mode under long o_ready storms and random t_valid gaps, so that
every stage of the PPU (and the softmax unit's pass-2 interlock) fills up
and stalls the input."""

from models.numerics import OUT_MODES
from tb.ppu.seq_lib.base_seq import PpuBaseSeq


class PpuBackpressureSeq(PpuBaseSeq):
    def jobs(self):
        for _ in range(self.knobs.get("rounds", 1)):
            for out_mode in OUT_MODES:
                for ready_kind in ("storm", "random"):
                    yield self.random_job(out_mode, valid_kind="random", ready_kind=ready_kind)
