"""PPU scoreboard. Per executed job (from the driver):
- a refused start: err pulsed with the expected code, busy stayed low,
  t_ready stayed low while a beat was offered, and no beat or word moved;
- an accepted one: the observed beats are the n_outer = 1 order and carry
  the job's tile; the expected outputs are models.ppu.postprocess of the
  observed tile; the observed words come in the documented order with the
  documented sideband, decode (docs/rtl-ppu.md packing) to exactly the
  model's arrays, and every padding field is zero.
The accepted jobs, with the model's outputs, go to `ap` for coverage."""

import numpy as np
from pyuvm import uvm_analysis_port, uvm_tlm_analysis_fifo

from models.numerics import OUT_MODES
from models.ppu import postprocess
from tb.common.scoreboard import CompareScoreboard
from tb.ppu.layout import beat_order, decode_words, word_order
from tb.ppu.refusal import expected_code


def drain(fifo):
    """Items left in an analysis fifo (pyuvm's size() is the capacity, not the count)."""
    n = 0
    while fifo.try_get()[0]:
        n += 1
    return n


def discard_before(fifo, time_ns):
    """Drop the observed items (payload, stalls, time) from before `time_ns`; returns how many."""
    n = 0
    while True:
        ok, item = fifo.try_peek()
        if not ok or item[2] >= time_ns:
            return n
        fifo.try_get()
        n += 1


class PpuScoreboard(CompareScoreboard):
    def build_phase(self):
        super().build_phase()
        self.job_fifo = uvm_tlm_analysis_fifo("job_fifo", self)
        self.in_fifo = uvm_tlm_analysis_fifo("in_fifo", self)
        self.out_fifo = uvm_tlm_analysis_fifo("out_fifo", self)
        self.ap = uvm_analysis_port("ap", self)
        self.params = self.cfg.params
        self.pending = None  # the job being checked (not all of its words seen yet)
        self.jobs = 0

    async def run_phase(self):
        while True:
            job = await self.job_fifo.get()
            self.pending = job
            what = f"job {self.jobs} {job}"
            code = expected_code(job.m, job.code, self.params)
            self.compare(what + " err_code", code, job.err_code)
            self.compare(what + " err/accepted", [code != 0, code == 0], [job.err, job.accepted])
            if not job.accepted:
                self.compare(what + " t_ready while refused", False, job.ready_seen)
                self.ap.write((job, None, None))
                self.pending = None
                self.jobs += 1
                continue
            if job.aborted:
                # Whatever moved before the clear belongs to the aborted job; the
                # unit must then be idle, and the next job's checks prove it clean.
                discard_before(self.in_fifo, job.clear_time)
                discard_before(self.out_fifo, job.clear_time)
                self.compare(what + " idle after clear", True, job.idle_after_clear)
                self.ap.write((job, None, None))
                self.pending = None
                self.jobs += 1
                continue
            order = beat_order(job.m, job.n, self.params)
            beats = [(await self.in_fifo.get())[0] for _ in order]
            words = []
            while not (words and words[-1].last):
                word, stalls, _ = await self.out_fifo.get()
                words.append(word)
                job.out_stalls += stalls
            self.check(what, job, order, beats, words)
            self.pending = None
            self.jobs += 1

    def check(self, what, job, order, beats, words):
        lanes = self.params["LANES"]
        M, N = job.m, job.n
        out_mode = OUT_MODES[job.code]
        self.compare(what + " beat (mt, n, last)",
                     np.array([(mt, n, i == len(order) - 1) for i, (mt, n) in enumerate(order)]),
                     np.array([(b.mt, b.n, b.last) for b in beats]))
        acc = np.zeros((M, N), dtype=np.int64)
        for b in beats:
            acc[b.mt * lanes:(b.mt + 1) * lanes, b.n] = b.acc
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

    def check_phase(self):
        if self.pending is not None:
            raise AssertionError(f"{self.pending} did not complete (missing beats or words). "
                                 f"Reproduce: {self.cfg.repro()}")
        left = {name: drain(f) for name, f in
                (("beats", self.in_fifo), ("words", self.out_fifo), ("jobs", self.job_fifo))}
        if any(left.values()):
            raise AssertionError(f"unexpected leftovers at the end: {left}. Reproduce: {self.cfg.repro()}")
        super().check_phase()
