"""Engine scoreboard. Everything it expects is derived from what the monitors
observed and from models/ only:

- buffer writes keep a shadow of the A banks and the B buffer;
- at an accepted start the GEMM's operands are gathered from the shadow by
  the documented layout (tb/engine/layout.py) and its accumulators and the
  rails its steps clip at come from models.gemm.gemm_acc_sat; the beat order comes from docs/interfaces.md (tb/common/stream_layout.py);
- every start is checked against the refusal table (tb/engine/refusal.py):
  refused with the right code (err pulse, not busy) or accepted; a start
  while busy must change nothing;
- at done the whole GEMM is compared at once: beat order (t_mt, t_n),
  t_last, the [M, N] accumulators, cyc_mac = the GEMM's steps, cyc_total =
  the cycles busy was high (start pulse to done pulse, from the monitor's
  times), sat_seen = the model's rails;
- after a clear (and outside any GEMM) no beat may appear; the beats of an
  aborted GEMM that did come out are compared too.
"""

import numpy as np
from pyuvm import uvm_analysis_port, uvm_subscriber

from models.contract import mac_steps
from models.gemm import gemm_acc_sat
from tb.common.clock_reset import CLOCK_PERIOD_NS
from tb.common.scoreboard import CompareScoreboard
from tb.common.stream_layout import beat_order
from tb.engine.layout import gather_operands
from tb.engine.refusal import CODE_NAMES, expected_code
from tb.engine.seq_item import MODE_NAME

NO_VALUE = -(1 << 40)  # marks an accumulator that no beat delivered


class Gemm:
    """One accepted GEMM: expectations and what has been received."""

    def __init__(self, ev, expected, order, steps):
        self.ev, self.expected, self.steps = ev, expected, steps
        self.order = np.array(order, dtype=np.int64).reshape(-1, 2)
        self.got_order, self.got_last, self.stalls = [], [], 0
        self.sat = 0  # the rails the model's steps clip at (models.gemm.gemm_acc_sat)
        self.actual = np.full(expected.shape, NO_VALUE, dtype=np.int64)

    def name(self):
        e = self.ev
        return f"GEMM M={e.m} N={e.n} K={e.k} {MODE_NAME[e.mode]} n_outer={e.n_outer}"


class EngineScoreboard(CompareScoreboard):
    def build_phase(self):
        super().build_phase()
        p = self.cfg.params
        self.params = p
        self.lanes, self.vec, self.acc_depth = p["LANES"], p["VEC"], p["ACC_DEPTH"]
        self.a_mem = [[None] * p["A_DEPTH"] for _ in range(self.lanes)]
        self.b_mem = [None] * p["B_DEPTH"]
        self.buf_export = uvm_subscriber.uvm_AnalysisImp("buf_export", self, self.write_buf)
        self.ctrl_export = uvm_subscriber.uvm_AnalysisImp("ctrl_export", self, self.write_ctrl)
        self.tile_export = uvm_subscriber.uvm_AnalysisImp("tile_export", self, self.write_beat)
        self.ap_done = uvm_analysis_port("ap_done", self)  # (Gemm, done event) per finished GEMM
        self.gemm = None
        self.err_code = 0  # the err_code register as it must read
        self.abort_time = None
        self.gemms_done = self.refusals = self.ignored = self.aborts = 0

    # ---------------- buffers ----------------
    def write_buf(self, w):
        if w.buf == "a":
            self.a_mem[w.bank][w.addr] = w.word
        else:
            self.b_mem[w.addr] = w.word

    # ---------------- start / done / clear ----------------
    def write_ctrl(self, ev):
        handlers = {"start": self.on_start, "done": self.on_done, "clear": self.on_clear}
        if ev.kind not in handlers:
            raise ValueError(f"unknown control event kind {ev.kind!r} (known: {', '.join(handlers)})")
        handlers[ev.kind](ev)

    def on_start(self, ev):
        cfg = f"start M={ev.m} N={ev.n} K={ev.k} mode={ev.mode}"
        if ev.busy_before:
            self.ignored += 1
            self.compare(f"{cfg} while busy: err, err_code, busy", [0, self.err_code, 1],
                         [ev.err, ev.err_code, ev.busy_after])
            return
        code = expected_code(ev.m, ev.n, ev.k, ev.mode, self.params)
        self.compare(f"{cfg}: err_code ({CODE_NAMES.get(code, 'OK')})", code, ev.err_code)
        self.compare(f"{cfg}: err pulse, busy", [int(code != 0), int(code == 0)], [ev.err, ev.busy_after])
        self.err_code = ev.err_code
        if code:
            self.refusals += 1
            return
        if not ev.busy_after:
            return  # already reported: a legal start that did not start
        mode = MODE_NAME[ev.mode]
        a_q, a_s, b_q, b_s = gather_operands(self.a_mem, self.b_mem, ev.m, ev.n, ev.k, mode,
                                             self.vec, self.lanes)
        expected, sat = gemm_acc_sat(mode, a_q, a_s, b_q, b_s, self.vec)
        steps = mac_steps(ev.m, ev.n, ev.k, ev.mode, self.params)
        self.gemm = Gemm(ev, expected, beat_order(ev.m, ev.n, self.params, ev.n_outer), steps)
        self.gemm.sat = sat
        self.abort_time = None

    def on_done(self, ev):
        g = self.gemm
        if g is None:
            self._record("done pulse", "-", "no GEMM running", "done")
            return
        self.gemm = None
        self.gemms_done += 1
        what = g.name()
        self.compare(f"{what}: beat order (t_mt, t_n)", g.order, np.array(g.got_order, dtype=np.int64).reshape(-1, 2))
        last = np.zeros(len(g.order), dtype=bool)
        last[-1] = True
        self.compare(f"{what}: t_last", last, np.array(g.got_last, dtype=bool))
        self.compare(f"{what}: acc [m, n]", g.expected, g.actual)
        self.compare(f"{what}: cyc_mac", g.steps, ev.cyc_mac)
        # cyc_total counts the cycles with busy high: from the cycle after the
        # start pulse to the one before the done pulse (docs/rtl-engine.md)
        busy_cycles = round((ev.time - g.ev.time) / CLOCK_PERIOD_NS) - 1
        self.compare(f"{what}: cyc_total = cycles busy (start to done)", busy_cycles, ev.cyc_total)
        self.compare(f"{what}: sat_seen (rails a step clipped at) = models.gemm_acc_sat", g.sat, ev.sat_seen)
        self.logger.info(f"{what}: {len(g.got_order)} beats, {g.stalls} stall cycles, cycles "
                         f"{ev.cyc_total} total / {ev.cyc_mac} MAC ({ev.cyc_mac / max(1, ev.cyc_total):.2%})")
        self.ap_done.write((g, ev))

    def on_clear(self, ev):
        g = self.gemm
        self.abort_time = ev.time
        if g is None:
            return
        self.gemm = None
        self.aborts += 1
        n = len(g.got_order)
        what = f"{g.name()} aborted after {n} beats"
        self.compare(f"{what}: beat order", g.order[:n], np.array(g.got_order, dtype=np.int64).reshape(-1, 2))
        got = g.actual != NO_VALUE
        self.compare(f"{what}: delivered acc", g.expected[got], g.actual[got])

    # ---------------- tile beats ----------------
    def write_beat(self, item):
        beat, stalls, time = item
        g = self.gemm
        if g is None:
            if time != self.abort_time:  # a beat in the clear's own cycle was legally taken
                self._record("tile beat", (beat.mt, beat.n), "no beat (no GEMM running)", "a beat")
            return
        g.stalls += stalls
        g.got_order.append((beat.mt, beat.n))
        g.got_last.append(beat.last)
        rows = slice(beat.mt * self.lanes, (beat.mt + 1) * self.lanes)
        if rows.stop <= g.actual.shape[0] and beat.n < g.actual.shape[1]:
            g.actual[rows, beat.n] = beat.acc

    def check_phase(self):
        if self.gemm is not None:
            self._record(self.gemm.name(), "-", "done", "never finished")
        self.logger.info(f"scoreboard: {self.gemms_done} GEMMs, {self.refusals} refused starts, "
                         f"{self.ignored} starts while busy, {self.aborts} aborted GEMMs")
        super().check_phase()
