"""Top scoreboard. Per GemmRequest (from the sequences, when the host is done
with the job) with the host monitor's GemmObservation of it and the result
agent's frames, against models/ only:

- refused (its configuration breaks a rule of tb.top.refusal): STATUS.ERROR
  with the lowest broken rule's code, the irq, no DONE, and no result word
  (a queued descriptor, or a push into a full queue: it takes no frame in
  the order of the chain; the sequence checks ERR_COUNT and DONE_COUNT);
- cut short by a reset: no complete result frame;
- accepted: exactly one result frame whose words come in the documented
  order (TUSER = {first row, column} per word) and decode to exactly
  models.case.run_case of the request's case; every padding field zero;
  CYC_MAC = the GEMM's MAC steps (models.contract.mac_steps), CYC_TOTAL ≥
  CYC_MAC; STATUS.DONE, the irq, and ERROR/ERR_CODE only for starts written
  while busy (status and counters are skipped for a GEMM that a reset
  overtook after its last word, before the host could read them).
A case run in chunks is also checked whole: its CaseOutputs (the chunks'
outputs put together, on `outputs_export`) against models.case.run_case of
the case. The sequences' own checks (SeqCheck: load counts, registers after
a reset, ...) arrive on `check_export` and are compared as they come.
Checked jobs go to `ap` as (request, observation, frame; None unless a
frame was checked) for coverage.
"""

import numpy as np
from pyuvm import uvm_analysis_port, uvm_subscriber, uvm_tlm_analysis_fifo

from models.case import run_case
from models.contract import ERROR_CODES, OUT_KEYS, mac_steps
from tb.common.scoreboard import CompareScoreboard
from tb.top.layout import decode_frame, expected_sideband, split_tuser
from tb.top.refusal import expected_code


class TopScoreboard(CompareScoreboard):
    def build_phase(self):
        super().build_phase()
        self.request_fifo = uvm_tlm_analysis_fifo("request_fifo", self)
        self.observation_fifo = uvm_tlm_analysis_fifo("observation_fifo", self)
        self.frame_fifo = uvm_tlm_analysis_fifo("frame_fifo", self)
        self.outputs_export = uvm_subscriber.uvm_AnalysisImp("outputs_export", self, self.write_outputs)
        self.check_export = uvm_subscriber.uvm_AnalysisImp("check_export", self, self.write_check)
        self.ap = uvm_analysis_port("ap", self)
        self.params = self.cfg.params
        self.jobs = 0
        self.pending = None

    def write_check(self, check):
        self.compare(check.what, check.expected, check.observed)

    def write_outputs(self, item):
        expected = run_case(item.case)
        for key, got in item.outputs.items():
            self.compare(f"{item.what} {key} (chunks put together) = models.run_case",
                         np.asarray(expected[key], dtype=np.int64), got)

    async def run_phase(self):
        while True:
            req = await self.request_fifo.get()
            self.pending = req
            obs = await self.observation_fifo.get()
            code = (ERROR_CODES["QUEUE_FULL"] if req.queue_full
                    else expected_code(req.m, req.n, req.k, req.mode, req.out_mode, self.params))
            what = f"job {self.jobs} {req}" + (f" (expect code {code})" if code else "")
            frame = None
            if code:
                self.check_refused(what, code, obs)
            elif req.cut_short:
                frame = self.check_cut_short(what, req)
            else:
                ok, frame = self.frame_fifo.try_get()
                if not ok:
                    self._record(what, "result frame", "one frame", "none")
                else:
                    self.check_gemm(what, req, obs, frame)
            self.ap.write((req, obs, frame))
            self.pending = None
            self.jobs += 1

    # ---------------------------------------------------------------- refused
    def check_refused(self, what, code, obs):
        if obs.queued:
            # Status and irq are the chain's (the sequence checks ERR_COUNT and
            # DONE_COUNT). Later GEMMs' frames may already wait in the FIFO; a
            # frame of this one would be paired with the next request (a
            # mismatch) and leave one frame over at the end (check_phase).
            return
        self.compare(what + " (accepted, ERROR, DONE, ERR_CODE)", [False, True, False, code],
                     [obs.accepted, obs.error, obs.done, obs.err_code])
        self.compare(what + " irq", True, obs.irq)
        self.compare(what + " result frames", 0, self.frame_fifo.used())

    # ---------------------------------------------------------------- cut short
    def check_cut_short(self, what, req):
        """No frame, unless the reset hit the frame's held last word: that word
        still goes out, so the frame is complete and checked whole. Returns it."""
        if not req.held_last:
            self.compare(what + f" no result frame after the {req.cut_short} reset ({req.reset_phase})", 0,
                         self.frame_fifo.used())
            return None
        ok, frame = self.frame_fifo.try_get()
        if not ok:
            self._record(what, "the frame completed by its held last word", "one frame", "none")
            return None
        self.check_frame(what, req, frame)
        return frame

    # ---------------------------------------------------------------- accepted
    def check_gemm(self, what, req, obs, frame):
        p, case = self.params, req.case
        M, N, K = req.m, req.n, req.k
        if obs.status_known:
            busy_code = ERROR_CODES["BUSY"] if obs.busy_starts else 0
            self.compare(what + " (accepted, DONE, ERROR, ERR_CODE)",
                         [True, True, bool(obs.busy_starts), busy_code],
                         [obs.accepted, obs.done, obs.error, obs.err_code])
            self.compare(what + " irq", True, obs.irq)
            self.compare(what + " CYC_MAC (MAC steps)", mac_steps(M, N, K, case["mode"], p), obs.cyc_mac)
            if obs.cyc_total < obs.cyc_mac:
                self._record(what, "CYC_TOTAL >= CYC_MAC", obs.cyc_mac, obs.cyc_total)
            self.logger.info(f"{what}: {len(frame.words)} words, CYC_TOTAL {obs.cyc_total}, CYC_MAC {obs.cyc_mac} "
                             f"({100.0 * obs.cyc_mac / max(1, obs.cyc_total):.1f} % MAC-active), "
                             f"back-pressure {req.backpressure}")
        self.check_frame(what, req, frame)

    def check_frame(self, what, req, frame):
        """Every word of a frame (order, sideband, values) against models/."""
        p, case = self.params, req.case
        out_mode, M, N = case["out_mode"], req.m, req.n
        self.compare(what + " result words (column, first row) in order",
                     np.array(expected_sideband(out_mode, M, N, p)),
                     np.array([split_tuser(t)[::-1] for t in frame.tuser]).reshape(-1, 2))
        if len(frame.words) != len(frame.tuser):
            self._record(what, "TUSER per word", len(frame.words), len(frame.tuser))
            return
        expected = run_case(case)
        got = decode_frame(out_mode, frame, M, N, p)
        for key in OUT_KEYS[out_mode]:
            self.compare(f"{what} {key}", np.asarray(expected[key], dtype=np.int64), got[key])
        if got["pad"].size:
            self.compare(what + " padding fields", np.zeros_like(got["pad"]), got["pad"])

    def check_phase(self):
        if self.pending is not None:
            raise AssertionError(f"{self.pending} was not checked. Reproduce: {self.cfg.repro()}")
        left = {"jobs": self.request_fifo.used(), "result frames": self.frame_fifo.used()}
        if any(left.values()):
            raise AssertionError(f"unexpected leftovers at the end: {left}. Reproduce: {self.cfg.repro()}")
        super().check_phase()
