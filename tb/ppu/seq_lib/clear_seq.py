"""Soft reset in the middle of a job, in every out_mode: clear after a
random number of beats (from none to all of them, so also while the last
words drain), under back-pressure, and once in the very cycle done is high; each abort is followed by a job in the
same out_mode and a random one, which must be bit-exact (no state of the
aborted job may leak: group buffer, running max, softmax columns)."""

from models.numerics import OUT_MODES
from tb.common.stream_layout import beat_order
from tb.ppu.seq_lib.base_seq import PpuBaseSeq


class PpuClearSeq(PpuBaseSeq):
    def jobs(self):
        for out_mode in OUT_MODES:
            job = self.random_job(out_mode, ready_kind="random")
            beats = len(beat_order(job.m, job.n, self.params))
            job.clear_after = int(self.rng.integers(0, beats + 1))
            yield job
            yield self.random_job(out_mode)
            yield self.random_job()
        job = self.random_job(ready_kind="random")  # clear in the cycle done is high
        job.clear_after, job.clear_at_done = len(beat_order(job.m, job.n, self.params)), True
        yield job
        yield self.random_job()
