"""Top scoreboard. Per GemmJob published by a sequence (after its done, its
refusal, or the reset that cut it short), against models/ only:

- refused (expect_code != 0): STATUS.ERROR with that code (the lowest broken
  rule, tb.top.refusal), the irq, no DONE, and no result word;
- cut short by a reset: no complete result frame;
- accepted: exactly one result frame whose words come in the documented
  order (TUSER = {first row, column} per word) and decode to exactly
  models.case.run_case of the job's case; every padding field zero;
  CYC_MAC = the GEMM's MAC steps ((M/LANES)·N·(K/V)), CYC_TOTAL ≥ CYC_MAC;
  STATUS.DONE, the irq, and ERROR/ERR_CODE only for starts written while busy
  (status and counters are skipped for a GEMM that a reset overtook after
  its last word, before the sequence could read them).
Every job also carries the sequence's own observations with their expected
values (`checks`: load counts, registers after a reset, ...), compared here.
Checked jobs go to `ap` (with the observed frame) for coverage.
"""

import numpy as np
from pyuvm import uvm_analysis_port, uvm_tlm_analysis_fifo

from models.case import run_case
from models.contract import OUT_KEYS as OUTPUT_KEYS, mac_steps
from tb.common.scoreboard import CompareScoreboard
from tb.top.layout import decode_frame, expected_sideband, split_tuser
from tb.top.regmodel import CODE


class TopScoreboard(CompareScoreboard):
    def build_phase(self):
        super().build_phase()
        self.job_fifo = uvm_tlm_analysis_fifo("job_fifo", self)
        self.frame_fifo = uvm_tlm_analysis_fifo("frame_fifo", self)
        self.ap = uvm_analysis_port("ap", self)
        self.params = self.cfg.params
        self.jobs = 0
        self.pending = None

    async def run_phase(self):
        while True:
            job = await self.job_fifo.get()
            self.pending = job
            what = f"job {self.jobs} {job}"
            frame = None
            for name, (expected, got) in job.checks.items():
                self.compare(f"{what} {name}", expected, got)
            if job.expect_code:
                self.check_refused(what, job)
            elif job.aborted:
                self.check_aborted(what, job)
            else:
                ok, frame = self.frame_fifo.try_get()
                if not ok:
                    self._record(what, "result frame", "one frame", "none")
                else:
                    self.check_gemm(what, job, frame)
            self.ap.write((job, frame))
            self.pending = None
            self.jobs += 1

    # ---------------------------------------------------------------- refused
    def check_refused(self, what, job):
        self.compare(what + " (accepted, ERROR, DONE, ERR_CODE)", [False, True, False, job.expect_code],
                     [job.accepted, job.error, job.done, job.err_code])
        self.compare(what + " irq", True, job.irq)
        self.compare(what + " result frames", 0, self.frame_fifo.used())

    # ---------------------------------------------------------------- cut short
    def check_aborted(self, what, job):
        self.compare(what + f" no result frame after the {job.aborted} reset", 0, self.frame_fifo.used())

    # ---------------------------------------------------------------- accepted
    def check_gemm(self, what, job, frame):
        p = self.params
        case = job.case
        out_mode = case["out_mode"]
        M, N, K = job.m, job.n, job.k
        if job.status_known:
            busy_code = CODE["BUSY"] if job.busy_starts else 0
            self.compare(what + " (accepted, DONE, ERROR, ERR_CODE)",
                         [True, True, bool(job.busy_starts), busy_code],
                         [job.accepted, job.done, job.error, job.err_code])
            self.compare(what + " irq", True, job.irq)
            self.compare(what + " CYC_MAC (MAC steps)", mac_steps(M, N, K, case["mode"], p), job.cyc_mac)
            if job.cyc_total < job.cyc_mac:
                self._record(what, "CYC_TOTAL >= CYC_MAC", job.cyc_mac, job.cyc_total)
            self.logger.info(f"{what}: {len(frame.words)} words, CYC_TOTAL {job.cyc_total}, CYC_MAC {job.cyc_mac} "
                             f"({100.0 * job.cyc_mac / max(1, job.cyc_total):.1f} % MAC-active), "
                             f"back-pressure {job.backpressure}")

        self.compare(what + " result words (column, first row) in order",
                     np.array(expected_sideband(out_mode, M, N, p)),
                     np.array([split_tuser(t)[::-1] for t in frame.tuser]).reshape(-1, 2))
        if len(frame.words) != len(frame.tuser):
            self._record(what, "TUSER per word", len(frame.words), len(frame.tuser))
            return
        expected = run_case(case)
        got = decode_frame(out_mode, frame, M, N, p)
        for key in OUTPUT_KEYS[out_mode]:
            self.compare(f"{what} {key}", np.asarray(expected[key], dtype=np.int64), got[key])
        if got["pad"].size:
            self.compare(what + " padding fields", np.zeros_like(got["pad"]), got["pad"])

    def check_phase(self):
        if self.pending is not None:
            raise AssertionError(f"{self.pending} was not checked. Reproduce: {self.cfg.repro()}")
        left = {"jobs": self.job_fifo.used(), "result frames": self.frame_fifo.used()}
        if any(left.values()):
            raise AssertionError(f"unexpected leftovers at the end: {left}. Reproduce: {self.cfg.repro()}")
        super().check_phase()
