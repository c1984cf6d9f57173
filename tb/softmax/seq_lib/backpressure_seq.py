"""Several n-tiles under o_ready storms and random s_valid gaps: pass 2
stalls, and pass 1 of the next tile must wait behind pass 2's read pointer."""

from tb.softmax.seq_lib.base_seq import SoftmaxBaseSeq


class SoftmaxBackpressureSeq(SoftmaxBaseSeq):
    def jobs(self):
        for ready_kind in ("storm", "random", "storm"):
            yield self.random_job(ntiles=self.max_ntiles, valid_kind="random", ready_kind=ready_kind)
