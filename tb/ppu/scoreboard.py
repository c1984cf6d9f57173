"""PPU scoreboard: the per-job protocol checks are UnitJobScoreboard's
(tb/common/unit_job_scoreboard.py); this bench adds the refusal rules
(tb/ppu/refusal.py) and the data checks. Per executed job (from the driver):
- a refused start: err pulsed with the expected code, busy stayed low,
  t_ready stayed low while a beat was offered, and no beat or word moved;
- an accepted one: the observed beats are the n_outer = 1 order and carry
  the job's tile; the expected outputs are models.ppu.postprocess of the
  observed tile; the observed words come in the documented order with the
  documented sideband, decode (docs/rtl-ppu.md packing) to exactly the
  model's arrays, and every padding field is zero.
The accepted jobs, with the model's outputs, go to `ap` for coverage."""

import numpy as np

from models.numerics import OUT_MODES
from models.ppu import postprocess
from tb.common.unit_job_scoreboard import UnitJobScoreboard
from tb.common.stream_layout import beat_order, decode_words, word_order
from tb.ppu.refusal import expected_code


class PpuScoreboard(UnitJobScoreboard):
    prefix = "t_"

    def expected_code(self, job):
        return expected_code(job.m, job.code, self.params)

    def beat_order(self, job):
        return beat_order(job.m, job.n, self.params)

    def check(self, what, job, order, beats, words):
        lanes = self.params["LANES"]
        M, N = job.m, job.n
        out_mode = OUT_MODES[job.code]
        acc = self.assemble(what, order, beats, M, N, "acc")
        self.compare(what + " tile carried by the beats", job.acc, acc)

        expected = postprocess(acc, job.g[:M], job.bias[:M], job.sh, job.relu, out_mode,
                               self.params["VEC"], lanes)
        if not self.compare(what + " word sideband (n, grp, row, last)",
                            np.array(word_order(out_mode, M, N, self.params)),
                            np.array([(w.n, w.grp, w.row, w.last) for w in words])):
            return  # the values cannot be placed without the sideband
        got = decode_words(out_mode, [(w.data, w.n, w.grp, w.row, w.last) for w in words], M, N, self.params)
        for key in ("acc", "out_q", "out_s", "probs"):
            if key in got:
                self.compare(f"{what} {key}", np.asarray(expected[key], dtype=np.int64), got[key])
        if got["pad"].size:
            self.compare(what + " padding fields", np.zeros_like(got["pad"]), got["pad"])
        self.ap.write((job, acc, expected))
