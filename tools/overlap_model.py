"""Cycle-level model of the top's schedule (issue 15): loads over s_axis,
descriptor writes over AXI4-Lite, MAC steps, the PPU / softmax tail and the
result drain, for today's RTL and for the overlap options of
docs/overlap-design.md. Pure Python + numpy, no simulator: the jobs come
from the bench's planner (tools/bench_workloads.py), the options and the
report from tools/overlap_report.py.

Time is in cycles. A job is one tile (one GEMM run by the top). Per job:
- loads: one s_axis beat per cycle (A, B words), a table word every P =
  VEC/8 cycles (the serializer writes one row per cycle); a word is readable
  the cycle after it is written;
- go: the cycle the engine and the PPU start; the first MAC step issues at
  go + 1, one per cycle, stalled only by operands not yet arrived (read
  credit), by the softmax pass-1 n-tile boundary (TIMING.sm_boundary) and by
  the result order;
- last word: last step + int_tail (quantized out_modes), or last step + the
  last n-tile's softmax pass 2 (M*ACC_DEPTH/(VEC/2)) + sm_tail.

Today's RTL (option "today"): a job's loads start when the previous job's
last result word is out (s_axis is held off while a GEMM runs), the host
writes the configuration during the loads and CTRL.START after them.
Steady and end to end are then the bench's (bench/top_utilization.py):
sum of CYC_TOTAL and sum of windows (first beat to last word).
"""

from dataclasses import dataclass, replace

import numpy as np

from models.contract import mac_steps, v_of


@dataclass(frozen=True)
class Timing:
    """Constants of today's RTL, as measured (docs/overlap-design.md, "Calibration")."""
    axil_write: int = 4      # cycles per AXI4-Lite write, cocotbext-axi AxiLiteMaster awaiting each B
    start_after_beat: int = 5  # last load beat -> go, CTRL.START written after the loads (B-only tiles)
    table_after_beat: int = 10  # last table beat -> go: P rows still to write, then the START decided
    config_writes: int = 7   # M, N, K, MODE, OUT_MODE, SH, RELU: written during the loads today
    int_tail: int = 9        # last MAC step -> last result word, quantized out_modes (CYC_TOTAL = S + 9)
    sm_tail: int = 12        # ... softmax, after the last n-tile's pass 2
    sm_boundary: int = 3     # softmax pass-1 stall at each n-tile boundary (pass 2 not yet started)
    release_lat: int = 1     # a slot is writable the cycle after its last read


TIMING = Timing()


@dataclass(frozen=True)
class Option:
    """One schedule / mechanism of the top (docs/overlap-design.md, "Options")."""
    name: str = "today"
    storage: str = "single"   # single (today) | pingpong (2 banks per buffer) | circular (buffets, one capacity)
    release: str = "end"      # circular: "end" (region freed when its last GEMM ends) | "chunk" (per m-/n-tile)
    read: str = "full"        # "full": a GEMM starts when its operands are loaded | "credit": per word
    queue: int = 0            # descriptor queue depth (0: today, CTRL.START after the loads)
    drain_overlap: bool = False  # the next GEMM issues while the previous drains (engine/PPU per-GEMM config)
    tail_overlap: bool = False   # ... also while the previous softmax's pass 2 runs
    skid: bool = False        # softmax pass-1 write skid: no stall at n-tile / GEMM boundaries
    switch_gap: int = 1       # cycles between the last step of a GEMM and the first of the next (queue)
    table_fast: bool = False  # a table word written in one cycle (P rows into P distinct banks)
    host_react: int = 0       # cycles from a queue slot freeing (or a barrier's last word) to the host's write
    desc_writes: int = 0      # AXI4-Lite writes per descriptor (0: the registers that change + the push)
    load_order: tuple = ("A", "B", "T")


@dataclass
class Job:
    """One tile run by the top."""
    name: str
    m: int
    n: int
    kp: int
    mode: str
    out_mode: str
    loads: tuple
    useful: float            # useful fraction of its MACs (padding)
    release: tuple = ()      # operands whose region this job frees (it is their last user)
    barrier: int = -1        # index of the job whose last word gates this job's `barrier_ops` loads
    barrier_ops: tuple = ()


def jobs_of(plan, count=None):
    """The tiles of `count` GEMMs of a plan (default: its count per layer), in execution order."""
    return [Job(plan.name, t.m, t.n, plan.Kp, plan.mode, plan.out_mode, t.loads, plan.useful_fraction)
            for _ in range(plan.count if count is None else count) for t in plan.tiles]


def mark_releases(jobs):
    """Each operand region is freed by its last user: the job after which it is reloaded."""
    for i, j in enumerate(jobs):
        nxt = jobs[i + 1].loads if i + 1 < len(jobs) else ("A", "B", "T")
        j.release = tuple(x for x in ("A", "B", "T") if x in nxt)
    return jobs


class _Buffer:
    """Slot bookkeeping of one buffer: when each slot may be overwritten."""

    def __init__(self, storage, cap):
        self.storage, self.cap = storage, cap
        self.free = np.zeros(cap if storage == "circular" else 2, dtype=np.int64)
        self.tail, self.bank = 0, 1
        self.cur = None        # slots (circular) or bank (pingpong) of the current region

    def alloc(self, units):
        """Slot free times of a new region of `units` slots (and make it current)."""
        if self.storage == "circular":
            slots = (self.tail + np.arange(units)) % self.cap
            self.tail = (self.tail + units) % self.cap
            self.cur = slots
            return self.free[slots]
        if self.storage == "pingpong":
            self.bank ^= 1
            self.cur = self.bank
            return np.full(units, self.free[self.bank])
        self.cur = None
        return np.zeros(units, dtype=np.int64)

    def release(self, times):
        if self.storage == "circular" and self.cur is not None:
            self.free[self.cur] = times
        elif self.storage == "pingpong" and self.cur is not None:
            self.free[self.cur] = int(np.max(times))


def _beats(t0, cost, free):
    """Accept times of beats one `cost` apart, none before t0 nor before its slot's free time."""
    k = np.arange(len(free), dtype=np.int64) * cost
    return k + np.maximum.accumulate(np.maximum(free - k, t0 - k[0]) if len(free) else free)


def _steps(mt_n, nt_n, kv, ad):
    """Loop indices of every MAC step, in issue order (n-tile, m-tile, k, column a)."""
    i = np.arange(nt_n * mt_n * kv * ad, dtype=np.int64)
    a = i % ad
    k = (i // ad) % kv
    mt = (i // (ad * kv)) % mt_n
    nt = i // (ad * kv * mt_n)
    return nt, mt, k, a


def _changed_regs(prev, j):
    if prev is None:
        return 7
    return sum(getattr(prev, f) != getattr(j, f) for f in ("m", "n", "kp", "mode", "out_mode"))


def simulate(jobs, params, opt, timing=TIMING, preload=False):
    """Schedule `jobs` on the top with option `opt`. preload: every operand
    already in its buffer and every descriptor written (for `steady`).
    Returns one dict per job with its cycle marks."""
    L, ad, vec = params["LANES"], params["ACC_DEPTH"], params["VEC"]
    P = vec // 8
    tcost = 1 if opt.table_fast else P
    bufs = {"A": _Buffer(opt.storage, L * params["A_DEPTH"]), "B": _Buffer(opt.storage, params["B_DEPTH"]),
            "T": _Buffer(opt.storage, L * params["A_DEPTH"] // P)}
    out, s_free, host_free = [], 0, 0
    arrive = {}
    for g, j in enumerate(jobs):
        kv = j.kp // v_of(j.mode, params)
        mt_n, nt_n = j.m // L, j.n // ad
        sm = j.out_mode == "softmax"
        prev = out[-1] if out else None
        # ---------------- loads (in stream order, after the previous job's loads)
        t0 = s_free
        if opt.storage == "single" and prev is not None:
            t0 = max(t0, prev["last_word"])        # TREADY low while a GEMM runs
        first_beat, last_ab, last_t, spans = None, -10 ** 9, -10 ** 9, {}
        for x in opt.load_order:
            if x not in j.loads:
                continue
            units = {"A": j.m * kv, "B": j.n * kv, "T": -(-j.m // P)}[x]
            free = bufs[x].alloc(units)
            if preload:
                arrive[x] = np.full(units, -10 ** 9, dtype=np.int64)
                continue
            start = t0
            if x in j.barrier_ops and j.barrier >= 0:
                start = max(start, out[j.barrier]["last_word"] + opt.host_react)
            cost = tcost if x == "T" else 1
            t = _beats(start, cost, free.astype(np.int64))
            arrive[x] = t
            spans[x] = (int(t[0]), int(t[-1]))
            first_beat = t[0] if first_beat is None else first_beat
            t0 = int(t[-1]) + cost
            if x == "T":
                last_t = int(t[-1])
            else:
                last_ab = int(t[-1])
        s_free = t0
        if first_beat is None:
            first_beat = t0
        # ---------------- go
        if opt.queue == 0:   # today: CTRL.START after the loads and the configuration writes
            go = max(last_ab + timing.start_after_beat, last_t + timing.table_after_beat,
                     first_beat + timing.config_writes * timing.axil_write + timing.start_after_beat)
            if preload:
                go = prev["last_word"] + 1 if prev else 0
        else:
            # the host writes descriptor g once a queue slot is free (descriptor g - queue has started)
            if preload and g < opt.queue:
                d = 0
            else:
                slot = out[g - opt.queue]["go"] + opt.host_react if g >= opt.queue else 0
                writes = opt.desc_writes or (_changed_regs(jobs[g - 1] if g else None, j) + 1)
                d = max(host_free, slot) + writes * timing.axil_write
                host_free = d
            go = d + 1
            if prev is not None:
                serial = (not opt.drain_overlap) or (prev["sm"] and not opt.tail_overlap)
                go = max(go, prev["last_word"] + 1 if serial else prev["last_issue"] + opt.switch_gap - 1)
            if not preload and opt.read == "full":
                go = max(go, last_ab + 1)
            if not preload:
                go = max(go, last_t + tcost + 1)     # the table: loaded before the GEMM starts
        # ---------------- MAC steps
        nt, mt, k, a = _steps(mt_n, nt_n, kv, ad)
        base = go + 1 + np.arange(len(nt), dtype=np.int64)
        if sm and not opt.skid:
            stalls = nt.copy()
            if prev is not None and prev["sm"] and opt.tail_overlap and prev["last_word"] > go:
                stalls += 1                          # the previous GEMM's pass 2 is this one's boundary
            base = base + timing.sm_boundary * stalls
        ready = np.full(len(nt), -10 ** 9, dtype=np.int64)
        if opt.read == "credit" and not preload:
            if "A" in j.loads:
                ra = arrive["A"][(mt * kv + k) * L + L - 1] + 1
                ready = np.where(a == 0, np.maximum(ready, ra), ready)
            if "B" in j.loads:
                ready = np.maximum(ready, arrive["B"][(nt * ad + a) * kv + k] + 1)
        issue = base + np.maximum.accumulate(np.maximum(ready - base, 0))
        last_issue = int(issue[-1])
        tail = (j.m * ad // (vec // 2) + timing.sm_tail) if sm else timing.int_tail
        last_word = last_issue + tail
        if prev is not None and last_word <= prev["last_word"]:   # results leave in GEMM order
            last_word = prev["last_word"] + 1
        # ---------------- releases (this job is the last user of these regions)
        lat = timing.release_lat
        for x in j.release:
            if opt.release == "chunk" and opt.storage == "circular":
                if x == "A":   # m-tile mt's words after the last n-tile's m-tile mt
                    last_nt = issue[(nt == nt_n - 1) & (k == kv - 1) & (a == 0)]
                    times = np.repeat(last_nt + lat, kv * L)
                elif x == "B":  # n-tile nt's columns after its last m-tile
                    last_mt = issue[(mt == mt_n - 1) & (k == kv - 1) & (a == ad - 1)]
                    times = np.repeat(last_mt + lat, ad * kv)
                else:          # table rows of m-tile mt after the last n-tile's beats of mt (PPU input)
                    last_nt = issue[(nt == nt_n - 1) & (k == kv - 1) & (a == ad - 1)] + 5
                    rows = np.repeat(last_nt, L)
                    times = rows.reshape(-1, P).max(axis=1) if L % P == 0 else np.full(-(-j.m // P), rows.max())
            else:
                units = len(bufs[x].cur) if bufs[x].storage == "circular" else 1
                times = np.full(units, last_issue + 6)
            bufs[x].release(times)
        out.append({"name": j.name, "sm": sm, "first_beat": int(first_beat), "go": int(go),
                    "last_issue": last_issue, "last_word": int(last_word), "beats": spans,
                    "mac": mac_steps(j.m, j.n, j.kp, j.mode, params), "useful": j.useful * mac_steps(
                        j.m, j.n, j.kp, j.mode, params)})
    return out


def utilization(jobs, params, opt, timing=TIMING):
    """{end_to_end, steady, mac_active_*}: useful MACs over the chain's cycles.
    today: the bench's sums (windows; CYC_TOTAL); queue options: the span from
    the first beat (steady: with everything preloaded, from the first go) to
    the last word."""
    mark_releases(jobs)
    run = simulate(jobs, params, opt, timing)
    pre = simulate(jobs, params, opt, timing, preload=True)
    useful = sum(r["useful"] for r in run)
    mac = sum(r["mac"] for r in run)
    if opt.queue == 0:
        e2e = sum(r["last_word"] - r["first_beat"] for r in run)
        steady = sum(r["last_word"] - r["go"] for r in run)
    else:
        e2e = run[-1]["last_word"] - run[0]["first_beat"]
        steady = pre[-1]["last_word"] - pre[0]["go"]
    return {"end_to_end": useful / e2e, "steady": useful / steady, "mac_active_end_to_end": mac / e2e,
            "mac_active_steady": mac / steady, "cycles_end_to_end": e2e, "cycles_steady": steady,
            "cyc_mac": mac, "useful_cycles": useful}


def tile_record(plan, tile, params, opt=Option(), timing=TIMING):
    """The bench's per-class record (load_cycles aside) of one tile run alone
    with its non-reloaded operands resident: cyc_total, cyc_mac, window."""
    j = Job(plan.name, tile.m, tile.n, plan.Kp, plan.mode, plan.out_mode, tile.loads, plan.useful_fraction)
    r = simulate(mark_releases([j]), params, replace(opt, queue=0), timing)[0]
    return {"cyc_total": r["last_word"] - r["go"], "cyc_mac": r["mac"], "window_cycles": r["last_word"] - r["first_beat"]}
