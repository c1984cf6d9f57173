"""Random jobs: random lengths, several n-tiles (pass 2 of one tile overlaps
pass 1 of the next), random score columns, idle gaps and back-pressure."""

from tb.softmax.seq_lib.base_seq import SoftmaxBaseSeq


class SoftmaxRandomSeq(SoftmaxBaseSeq):
    def jobs(self):
        for _ in range(self.knobs.get("count", 8)):
            yield self.random_job()
