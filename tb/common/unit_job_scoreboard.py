"""Scoreboard base for units that run UnitJobs and may refuse them (the PPU,
the softmax unit). Per executed job (from the driver), in order:
- every job: err_code is the subclass's `expected_code(job)`, and err /
  accepted agree with it;
- a refused start: the input ready stayed low while a beat was offered;
- an aborted one: whatever moved before the clear belongs to it and is
  dropped, and the unit was idle after the clear;
- an accepted one: the beats of the subclass's `beat_order(job)` and the
  output words up to the last are collected (the words' stalls added to
  job.out_stalls) and handed to the subclass's `check(what, job, order,
  beats, words)`, which compares against models/ and writes to `ap`.
Refused and aborted jobs go to `ap` as (job, None, None) for coverage. At
the end, a job still waiting for beats or words, or anything left over in
the fifos, fails the test."""

import numpy as np
from pyuvm import uvm_analysis_port, uvm_tlm_analysis_fifo

from tb.common.scoreboard import CompareScoreboard


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


class UnitJobScoreboard(CompareScoreboard):
    prefix = None  # of the input stream's pins ("t_", "s_"), for the messages

    def build_phase(self):
        super().build_phase()
        self.job_fifo = uvm_tlm_analysis_fifo("job_fifo", self)
        self.in_fifo = uvm_tlm_analysis_fifo("in_fifo", self)
        self.out_fifo = uvm_tlm_analysis_fifo("out_fifo", self)
        self.ap = uvm_analysis_port("ap", self)
        self.params = self.cfg.params
        self.pending = None  # the job being checked (not all of its words seen yet)
        self.jobs = 0

    def expected_code(self, job):
        """The refusal code the job's start must get (from the bench's refusal rules)."""
        raise NotImplementedError

    def beat_order(self, job):
        """(mt, n) of every input beat of an accepted job, in stream order."""
        raise NotImplementedError

    def check(self, what, job, order, beats, words):
        raise NotImplementedError

    def assemble(self, what, order, beats, rows, cols, payload):
        """Check the beats' (mt, n, last) against `order` and return the
        [rows, cols] int64 matrix they carry (`payload`: the beat's LANES field)."""
        lanes = self.params["LANES"]
        self.compare(what + " beat (mt, n, last)",
                     np.array([(mt, n, i == len(order) - 1) for i, (mt, n) in enumerate(order)]),
                     np.array([(b.mt, b.n, b.last) for b in beats]))
        out = np.zeros((rows, cols), dtype=np.int64)
        for b in beats:
            out[b.mt * lanes:(b.mt + 1) * lanes, b.n] = getattr(b, payload)
        return out

    async def run_phase(self):
        while True:
            job = await self.job_fifo.get()
            self.pending = job
            what = f"job {self.jobs} {job}"
            code = self.expected_code(job)
            self.compare(what + " err_code", code, job.err_code)
            self.compare(what + " err/accepted", [code != 0, code == 0], [job.err, job.accepted])
            if not job.accepted:
                self.compare(f"{what} {self.prefix}ready while refused", False, job.ready_seen)
                self.ap.write((job, None, None))
            elif job.aborted:
                # Whatever moved before the clear belongs to the aborted job; the
                # unit must then be idle, and the next job's checks prove it clean.
                discard_before(self.in_fifo, job.clear_time)
                discard_before(self.out_fifo, job.clear_time)
                self.compare(what + " idle after clear", True, job.idle_after_clear)
                self.ap.write((job, None, None))
            else:
                order = self.beat_order(job)
                beats = [(await self.in_fifo.get())[0] for _ in order]
                words = []
                while not (words and words[-1].last):
                    word, stalls, _ = await self.out_fifo.get()
                    words.append(word)
                    job.out_stalls += stalls
                self.check(what, job, order, beats, words)
            self.pending = None
            self.jobs += 1

    def check_phase(self):
        if self.pending is not None:
            raise AssertionError(f"{self.pending} did not complete (missing beats or words). "
                                 f"Reproduce: {self.cfg.repro()}")
        left = {name: drain(f) for name, f in
                (("beats", self.in_fifo), ("words", self.out_fifo), ("jobs", self.job_fifo))}
        if any(left.values()):
            raise AssertionError(f"unexpected leftovers at the end: {left}. Reproduce: {self.cfg.repro()}")
        super().check_phase()
