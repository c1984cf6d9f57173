"""Soft reset in the middle of a job: during pass 1, and after the last
beat (while pass 2 drains), and in the cycle done is high, under back-pressure, with several n-tiles;
each abort is followed by a random job, which must be bit-exact (no per-column
state or stored score of the aborted job may leak)."""

from tb.softmax.seq_lib.base_seq import SoftmaxBaseSeq


class SoftmaxClearSeq(SoftmaxBaseSeq):
    def jobs(self):
        for when in ("mid", "end", "mid", "end", "done"):
            job = self.random_job(ntiles=2, ready_kind="random")
            beats = job.length // self.lanes * job.n
            job.clear_after = beats if when in ("end", "done") else int(self.rng.integers(0, beats))
            job.clear_at_done = when == "done"
            yield job
            yield self.random_job()
