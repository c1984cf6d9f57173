"""Illegal lengths, each followed by a legal job (the next legal start must
work): L = 0, L not a multiple of LANES, L over 1024, the largest cfg_len."""

from models.softmax import MAX_LEN
from tb.softmax.refusal import expected_code
from tb.softmax.seq_item import SoftmaxJob
from tb.softmax.seq_lib.base_seq import SoftmaxBaseSeq


class SoftmaxRefusalSeq(SoftmaxBaseSeq):
    def jobs(self):
        L = self.lanes
        for length in (0, L + 1, L - 1 if L > 1 else 3, MAX_LEN + L, 2 * MAX_LEN, 65535, 0xFFFF - 0xFFFF % L):
            yield SoftmaxJob(length=length, expect_code=expected_code(length, self.params), tag="illegal")
            yield self.random_job(ntiles=1)
