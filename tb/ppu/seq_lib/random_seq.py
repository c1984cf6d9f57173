"""Random jobs: random out_mode, shape (padded int8/int4 words included),
tile, sh, ReLU, idle gaps on the input and back-pressure on the output."""

from tb.ppu.seq_lib.base_seq import PpuBaseSeq


class PpuRandomSeq(PpuBaseSeq):
    def jobs(self):
        for _ in range(self.knobs.get("count", 12)):
            yield self.random_job()
