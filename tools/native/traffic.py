"""The GEMM traffic of `top_speed_bench` as a file that the native Verilator
harness (bench/native/harness.cpp, no Python) replays, with the result
words the model expects.

How: the bench's own sequence (TopRandomSeq, seeded as the cocotb test seeds
it: TbConfig.rng("stimulus") of `top_speed_bench` and the seed) runs against
a recording stand-in of the top env. Every register access it makes (through
the real register model), every load, stream pattern, irq wait and clock
wait becomes one op, in order; every GEMM it publishes becomes an EXPECT op
with the words models.case.run_case implies, packed per docs/rtl-top.md and
checked here by decoding them back with the scoreboard's own decoder
(tb.top.layout.decode_frame), so the harness checks what the scoreboard
checks. Reads carry the value the scoreboard would accept (load counts,
STATUS done, CYC_MAC = the MAC steps of models.contract), others are not checked.

Stream patterns: the same BackPressure kinds from the same generator, drawn
here ahead of time (RUN_CYCLES cycles' worth, replayed cyclically). The
cocotb run draws them lazily, one flag per clock, so the exact runs and the
cycle count differ a little; cases, loads, register writes and results are
identical.

File (little-endian uint32 stream): MAGIC, words of uint32 per beat, bits per
beat, op count; then the ops, each its code and operands:
  IDLE n (level cycles)*n        load-stream idle pattern (n = 0: none)
  BP n (level cycles)*n          result-stream TREADY pattern (n = 0: always ready)
  LOAD timeout nframes (dest nwords word*nwords)*nframes   back to back, wait for the last beat
  WRITE addr value strb          AXI4-Lite write, BRESP must be OKAY
  READ addr mask expect          AXI4-Lite read, RRESP OKAY, (RDATA & mask) == expect
  WAIT_IRQ timeout               until irq is high
  CYCLES n
  EXPECT nwords (tuser word)*nwords   the next result frame (TLAST on its last word only)
"""

import types

import numpy as np

from models.case import run_case
from models.contract import OUT_KEYS, mac_steps, top_code
from models.numerics import MODES
from tb.common.config import TbConfig
from tb.common.stream_layout import rows_per_word, word_order
from tb.top.layout import decode_frame
from tb.top.regmodel import RegModel

MAGIC = 0x31515356  # "VSQ1"
OPS = {"IDLE": 1, "BP": 2, "LOAD": 3, "WRITE": 4, "READ": 5, "WAIT_IRQ": 6, "CYCLES": 7, "EXPECT": 8}
RUN_CYCLES = 1 << 16
TEST = "top_speed_bench"


def runs_of(pattern, cycles=RUN_CYCLES):
    """(level, cycles) runs of a BackPressure pattern covering `cycles` (None: no runs)."""
    if pattern is None:
        return []
    out, total = [], 0
    for level, n in pattern:
        n = max(1, int(n))  # as tb.top.stream_agents.pause_flags
        out.append((int(bool(level)), n))
        total += n
        if total >= cycles:
            return out


def result_words(case, params):
    """(data, tuser) of every result word of a case, in stream order."""
    out, out_mode = run_case(case), case["out_mode"]
    M, N = case["a_q"].shape[0], case["b_q"].shape[1]
    vec, lanes = params["VEC"], params["LANES"]
    order = word_order(out_mode, M, N, params)
    words = []
    if out_mode == "acc":
        slots, acc = vec // 8, out["acc"]
        for n, _, row, _ in order:
            used = min(slots, lanes - row % lanes)
            w = 0
            for s in range(used):
                w |= (int(acc[row + s, n]) & 0xFFFFFFFF) << (32 * s)
            words.append((w, row << 16 | n))
        return words
    rpw = rows_per_word(out_mode, params)
    vals = out["probs" if out_mode == "softmax" else "out_q"]
    scales = out.get("out_s") if out_mode.endswith("_vsq") else None
    nibbles = out_mode in ("int4", "int4_vsq")
    for n, _, row, _ in order:
        col = np.zeros(rpw, dtype=np.int64)
        used = min(rpw, M - row)
        col[:used] = vals[row:row + used, n]
        raw = (col & 0xF) if nibbles else (col & 0xFF)
        if nibbles:
            raw = raw[0::2] | (raw[1::2] << 4)
        w = int.from_bytes(raw.astype(np.uint8).tobytes(), "little")
        if scales is not None:
            w |= int(scales[row // rpw, n]) << (vec * 4)
        words.append((w, row << 16 | n))
    return words


def check_words(case, words, params):
    """The words decode (as the scoreboard decodes them) to the model's outputs."""
    M, N, out_mode = case["a_q"].shape[0], case["b_q"].shape[1], case["out_mode"]
    frame = types.SimpleNamespace(words=[w for w, _ in words], tuser=[t for _, t in words])
    got, expected = decode_frame(out_mode, frame, M, N, params), run_case(case)
    for key in OUT_KEYS[out_mode]:
        if not np.array_equal(np.asarray(expected[key], dtype=np.int64), got[key]):
            raise AssertionError(f"traffic: the packed {key} of a {out_mode} GEMM does not decode to the model's")
    if got["pad"].size and got["pad"].any():
        raise AssertionError("traffic: a padding field of the packed words is not zero")


class Recorder:
    """The parts of the top's virtual sequencer (tb/top/sequencer.py) that
    TopRandomSeq uses, recording ops instead of driving pins."""

    def __init__(self, params):
        self.params, self.ops, self.jobs = params, [], []
        self.loaded = {}  # dest -> words of its last load
        self.config = {}
        self.regs = RegModel(self, params)
        self.dut = types.SimpleNamespace(aclk=object())
        self.loader = types.SimpleNamespace(set_idle=lambda p: self.ops.append(("IDLE", runs_of(p))),
                                            load=self._load)
        self.results = types.SimpleNamespace(set_backpressure=lambda p: self.ops.append(("BP", runs_of(p))))
        self.irq = types.SimpleNamespace(wait_high=self._wait_irq)
        self.frames = types.SimpleNamespace(flush=lambda: None)
        self.request_ap = types.SimpleNamespace(write=self._publish)
        self.check_ap = self.event_ap = types.SimpleNamespace(write=lambda item: None)

    # the register model's bus
    async def write(self, addr, value, strb=0xF, name=None):
        self.config[name] = value
        self.ops.append(("WRITE", addr, value, strb))
        return 0

    async def read(self, addr, name=None):
        p, c, enc = self.params, self.config, self.regs.encode
        expect = {"STATUS": (enc("STATUS", BUSY=1, DONE=1, ERROR=1), enc("STATUS", DONE=1)),  # done, no error
                  "IRQ_STATUS": (enc("IRQ_STATUS", DONE=1), enc("IRQ_STATUS", DONE=1)),
                  "LOAD_A": (~0, len(self.loaded.get(0, ()))), "LOAD_B": (~0, len(self.loaded.get(1, ()))),
                  "LOAD_T": (~0, len(self.loaded.get(2, ())))}
        if name == "CYC_MAC":
            expect[name] = (~0, mac_steps(c["M"], c["N"], c["K"], MODES[c["MODE"]], p))
        mask, value = expect.get(name, (0, 0))
        self.ops.append(("READ", addr, mask & 0xFFFFFFFF, value))
        return value, 0

    async def _load(self, frames, timeout_cycles=None):
        frames = [(int(d), [int(w) for w in words]) for d, words in frames]
        self.loaded.update(frames)
        self.ops.append(("LOAD", timeout_cycles or 0, frames))

    async def _wait_irq(self, timeout_cycles):
        self.ops.append(("WAIT_IRQ", timeout_cycles))

    def _publish(self, job):
        if job.case is None or top_code(job.m, job.n, job.k, job.mode, job.out_mode, self.params):
            raise RuntimeError("traffic: the speed bench's sequence published a refused GEMM")
        words = result_words(job.case, self.params)
        check_words(job.case, words, self.params)
        self.ops.append(("EXPECT", words))
        self.jobs.append({"m": job.m, "n": job.n, "k": job.k, "mode": job.mode_name,
                          "out_mode": job.out_mode_name, "tag": job.tag, "backpressure": job.backpressure,
                          "result_words": len(words)})


class _Cycles:
    """Stands in for cocotb's ClockCycles in the sequence's module while recording."""

    def __init__(self, clk, num_cycles, *_, **__):
        self.num_cycles = int(num_cycles)

    def __await__(self):
        yield self


def drive(coro, ops):
    """Run a sequence coroutine to its end outside cocotb: the recorder's awaits
    return at once; the only thing it yields is a _Cycles (recorded)."""
    try:
        while True:
            trig = coro.send(None)
            if not isinstance(trig, _Cycles):
                raise RuntimeError(f"traffic: the sequence awaited {trig!r}, which the recorder cannot replay")
            ops.append(("CYCLES", trig.num_cycles))
    except StopIteration:
        pass


def record(param_set, params, seed, gemms):
    """(ops, jobs) of top_speed_bench's sequence for a seed and GEMM count."""
    import tb.top.seq_lib.base_seq as base_seq
    from tb.top.seq_lib.random_seq import TopRandomSeq  # the bench's own sequence (tb/top/tests/top_speed_bench.py)

    cfg = TbConfig(test=TEST, sim="native", param_set=param_set, params=params, seed=seed, out_dir=None)
    env = Recorder(params)
    seq = TopRandomSeq("seq", cfg.rng("stimulus"), params, count=gemms)
    seq.sequencer = env  # what seq.start(sequencer) sets
    real, base_seq.ClockCycles = base_seq.ClockCycles, _Cycles  # the sequence's clock waits become ops
    try:
        drive(seq.body(), env.ops)
    finally:
        base_seq.ClockCycles = real
    return env.ops, env.jobs


def encode(ops, params):
    """The uint32 stream of the file format above."""
    bits = params["VEC"] * 4 + 8
    nw = -(-bits // 32)

    def word(w):
        return [(w >> (32 * i)) & 0xFFFFFFFF for i in range(nw)]

    out = [MAGIC, nw, bits, len(ops)]
    for op in ops:
        kind, args = op[0], op[1:]
        out.append(OPS[kind])
        if kind in ("IDLE", "BP"):
            out.append(len(args[0]))
            for level, n in args[0]:
                out += [level, n]
        elif kind == "LOAD":
            out += [args[0], len(args[1])]
            for dest, words in args[1]:
                out += [dest, len(words)]
                for w in words:
                    out += word(w)
        elif kind == "EXPECT":
            out.append(len(args[0]))
            for w, tuser in args[0]:
                out.append(tuser)
                out += word(w)
        else:
            out += [int(a) & 0xFFFFFFFF for a in args]
    return np.array(out, dtype="<u4")


def export(path, param_set, params, seed, gemms):
    """Write the traffic file; returns its summary (for the bench JSON)."""
    ops, jobs = record(param_set, params, seed, gemms)
    data = encode(ops, params)
    path.parent.mkdir(parents=True, exist_ok=True)
    data.tofile(path)
    counts = {k: sum(1 for op in ops if op[0] == k) for k in OPS}
    beats = sum(len(w) for op in ops if op[0] == "LOAD" for _, w in op[2])
    return {"file": str(path), "bytes": int(data.nbytes), "seed": seed, "gemms": len(jobs), "jobs": jobs,
            "ops": counts, "load_beats": beats, "result_words": sum(j["result_words"] for j in jobs)}
