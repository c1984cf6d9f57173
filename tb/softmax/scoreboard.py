"""Softmax scoreboard: the per-job protocol checks are UnitJobScoreboard's
(tb/common/unit_job_scoreboard.py); this bench adds the refusal rules
(tb/softmax/refusal.py) and the data checks. Per executed job (from the driver):
- a refused start: err pulsed with the expected code, busy stayed low and
  s_ready stayed low while a beat was offered;
- an accepted one: the observed beats are the n_outer = 1 order and carry
  the job's scores; the expected probabilities are models.softmax.softermax
  of the observed scores with block = LANES; the words come in the
  documented order and sideband and decode to exactly the model's
  probabilities, with zero padding and scale fields.
Every job goes to `ap` (with the model's trace when accepted) for coverage."""

import numpy as np

from models.softmax import softermax_trace
from tb.common.unit_job_scoreboard import UnitJobScoreboard
from tb.common.stream_layout import beat_order, decode_words, word_order
from tb.softmax.refusal import expected_code


class SoftmaxScoreboard(UnitJobScoreboard):
    prefix = "s_"

    def expected_code(self, job):
        return expected_code(job.length, self.params)

    def beat_order(self, job):
        return beat_order(job.length, job.n, self.params)

    def check(self, what, job, order, beats, words):
        lanes = self.params["LANES"]
        L, N = job.length, job.n
        x = self.assemble(what, order, beats, L, N, "x")
        self.compare(what + " scores carried by the beats", job.x, x)
        trace = softermax_trace(x, lanes)
        if not self.compare(what + " word sideband (n, grp, row, last)",
                            np.array(word_order("softmax", L, N, self.params)),
                            np.array([(w.n, w.grp, w.row, w.last) for w in words])):
            return  # the values cannot be placed without the sideband
        got = decode_words("softmax", [(w.data, w.n, w.grp, w.row, w.last) for w in words], L, N, self.params)
        self.compare(what + " probs", trace["probs"].astype(np.int64), got["probs"])
        if got["pad"].size:
            self.compare(what + " padding fields", np.zeros_like(got["pad"]), got["pad"])
        self.ap.write((job, x, trace))
