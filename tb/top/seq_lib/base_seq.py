"""Base top sequence (virtual): what a host does with the accelerator, as
helpers on the env's agents and register model.

- shapes and cases: legal shapes that fit the buffers (and a step budget),
  cases from models.casegen;
- `run(job)`: configure the registers, load A, B and the g/bias table
  (unless told not to), START, wait for the irq, read STATUS and the cycle
  counters, acknowledge the irq (W1C), publish the job to the scoreboard;
- back-pressure on the result stream and idle gaps on the load stream from
  the shared `BackPressure` patterns.
Subclasses write `body()`.
"""

import math

from cocotb.triggers import ClockCycles
from pyuvm import uvm_sequence

from models.casegen import random_case
from models.numerics import MODES, OUT_MODES, out_group, vec_len
from models.softmax import MAX_LEN
from tb.common.valid_ready import BackPressure
from tb.top.layout import case_loads
from tb.top.refusal import expected_code
from tb.top.seq_item import GemmJob, MODE_CODE, OUT_MODE_CODE


class TopBaseSeq(uvm_sequence):
    def __init__(self, name, env, rng, params, **knobs):
        super().__init__(name)
        self.env, self.rng, self.params, self.knobs = env, rng, params, knobs
        # Stream patterns draw from their own generator: how many draws they
        # take depends on timing, which must not shift the cases that follow.
        self.bp_rng = rng.spawn(1)[0]
        self.regs = env.regs
        self.clk = env.dut.aclk
        self.lanes, self.vec, self.ad = params["LANES"], params["VEC"], params["ACC_DEPTH"]
        self.a_depth, self.b_depth = params["A_DEPTH"], params["B_DEPTH"]
        # Step budget per random GEMM: 512 steps in the fast configuration.
        self.max_steps = int(knobs.get("max_steps", 16 * self.a_depth))

    # ---------------------------------------------------------------- random helpers
    def randint(self, lo, hi):
        """Uniform integer in [lo, hi]."""
        return int(self.rng.integers(lo, hi + 1))

    def choice(self, seq):
        return seq[int(self.rng.integers(len(seq)))]

    def m_unit(self, out_mode):
        """M must be a multiple of this for the out_mode (LANES, or Vo)."""
        if out_mode in ("int4_vsq", "int8_vsq"):
            return math.lcm(self.lanes, out_group(out_mode, self.vec)[0])
        return self.lanes

    def kv_cap(self, out_mode):
        return min(self.a_depth // (self.m_unit(out_mode) // self.lanes), self.b_depth // self.ad)

    def random_shape(self, mode, out_mode, max_steps=None, max_kv=None, max_m=None, max_n=None):
        """A legal (M, N, K) that fits the buffers, with at most max_steps MAC
        steps ((M/LANES)·N·(K/V)), shrinking M and N rather than K."""
        max_steps = max_steps or self.max_steps
        V = vec_len(mode, self.vec)
        unit = self.m_unit(out_mode)
        cap = min(self.kv_cap(out_mode), max_kv or 1 << 30)
        kv = self.randint(1, min(cap, self.choice((4, 16, cap))))  # short K as often as long
        m_cap = (self.a_depth // kv) * self.lanes
        if out_mode == "softmax":
            m_cap = min(m_cap, MAX_LEN)
        if max_m:
            m_cap = min(m_cap, max_m)
        n_cap = min((self.b_depth // kv), max_n or 1 << 30)
        M = unit * self.randint(1, max(1, m_cap // unit))
        N = self.ad * self.randint(1, max(1, n_cap // self.ad))
        while (M // self.lanes) * N * kv > max_steps and (M > unit or N > self.ad):
            if M > unit and (M // self.lanes >= N // self.ad or N == self.ad):
                M = max(unit, (M // 2) // unit * unit)
            else:
                N = max(self.ad, (N // 2) // self.ad * self.ad)
        return M, N, kv * V

    def make_case(self, M, N, K, mode, out_mode, data="random", **kw):
        return random_case(self.rng, M=M, N=N, K=K, mode=mode, out_mode=out_mode, vec=self.vec,
                           lanes=self.lanes, data=data, **kw)

    def random_modes(self):
        return self.choice(list(MODES)), self.choice(list(OUT_MODES))

    @staticmethod
    def job_for(case, tag=""):
        M, K = case["a_q"].shape
        return GemmJob(m=M, n=case["b_q"].shape[1], k=K, mode=MODE_CODE[case["mode"]],
                       out_mode=OUT_MODE_CODE[case["out_mode"]], sh=case["sh"], relu=case["relu"],
                       case=case, tag=tag)

    def illegal_job(self, m, n, k, mode, out_mode, tag="illegal"):
        code = expected_code(m, n, k, mode, out_mode, self.params)
        return GemmJob(m=m, n=n, k=k, mode=mode, out_mode=out_mode, sh=0, relu=False, expect_code=code, tag=tag)

    # ---------------------------------------------------------------- stream patterns
    def backpressure(self, kind):
        """Result-stream TREADY pattern of a kind (none / random / storm)."""
        self.env.results.set_backpressure(None if kind == "none" else BackPressure(self.bp_rng, kind))

    def load_idle(self, kind):
        """Idle gaps between load beats (none / random / storm)."""
        self.env.loader.set_idle(None if kind == "none" else BackPressure(self.bp_rng, kind, max_low=8))

    # ---------------------------------------------------------------- timing budget
    def steps(self, job):
        V = {0: self.vec // 2, 1: self.vec, 2: self.vec}.get(job.mode)
        return (job.m // self.lanes) * job.n * (job.k // V) if V else 0

    def out_words(self, job):
        return job.m * job.n // max(1, self.vec // 8) + job.n

    def timeout(self, job):
        """Generous: every result word may wait through a back-pressure storm."""
        return 4 * self.steps(job) + 80 * self.out_words(job) + 20000

    # ---------------------------------------------------------------- host actions
    async def configure(self, job):
        await self.regs.write_config(job.m, job.n, job.k, job.mode, job.out_mode, job.sh, job.relu)

    async def load(self, case, dests=(0, 1, 2), check=None):
        """Load the case's A, B and table (those in dests). With `check` (a job),
        the LOAD_* counters are recorded for the scoreboard."""
        loads = case_loads(case, self.lanes)
        frames = [(d, loads[d]) for d in dests]
        words = sum(len(w) for _, w in frames)
        await self.env.loader.load(frames, timeout_cycles=20 * words + 2000)
        if check is not None:
            for d, w in frames:
                name = ("LOAD_A", "LOAD_B", "LOAD_T")[d]
                check.checks[name] = (len(w), int(await self.regs.read(name)))

    async def start_gemm(self):
        resp = await self.regs.write("CTRL", START=1)
        assert resp == 0, f"write of CTRL.START answered {resp}"

    async def ack_irq(self):
        """Read and acknowledge IRQ_STATUS; returns the bits that were set."""
        st = await self.regs.read("IRQ_STATUS")
        if st.value:
            await self.regs.write("IRQ_STATUS", st.value)
            await ClockCycles(self.clk, 2)  # irq is registered: let it fall
        return st

    async def wait_end(self, job, timeout=None):
        """Wait (irq) until the job is no longer busy; fill in its status."""
        timeout = timeout or self.timeout(job)
        while True:
            await self.env.irq.wait_high(timeout)
            job.irq = True
            status = await self.regs.read("STATUS")
            await self.ack_irq()
            if not status.BUSY:
                break
        job.done, job.error, job.err_code = bool(status.DONE), bool(status.ERROR), status.ERR_CODE
        job.accepted = job.done
        job.cyc_total = int(await self.regs.read("CYC_TOTAL"))
        job.cyc_mac = int(await self.regs.read("CYC_MAC"))
        return status

    def publish(self, job):
        self.env.job_ap.write(job)

    async def run(self, job, load=True, bp="none", publish=True):
        """One job through the registers and streams, start to finish."""
        if job.case is not None and load:
            await self.load(job.case, check=job)
        await self.configure(job)
        self.backpressure(bp)
        job.backpressure = bp
        self.env.seq_frames.flush()
        await self.start_gemm()
        await self.wait_end(job)
        self.backpressure("none")
        if job.expect_code:
            await ClockCycles(self.clk, 20)  # room for a wrongly started GEMM to show words
        if publish:
            self.publish(job)
        return job

    # ---------------------------------------------------------------- register checks
    def check(self, what, expected, got):
        """A comparison the sequence makes, counted and reported by the scoreboard."""
        self.env.scoreboard.compare(what, expected, got)

    async def read_all(self):
        """{register name: RegValue} of every register, in address order."""
        return {r.name: await self.regs.read(r.name) for r in self.regs.map.registers}

    async def check_registers(self, what, expected):
        """Read the registers named in `expected` ({name: value}) and compare,
        responses included (every mapped read answers OKAY)."""
        got = {name: await self.regs.read(name) for name in expected}
        names = list(expected)
        self.check(f"{what}: registers {names}", [expected[n] for n in names], [got[n].value for n in names])
        self.check(f"{what}: read responses", [0] * len(names), [got[n].resp for n in names])
        return got

    async def check_reset_values(self, what):
        """Every register at its reset value (rdl/vsq_top.rdl), irq low,
        s_axis ready, m_axis idle."""
        await self.check_registers(what, {r.name: self.regs.reset_value(r.name) for r in self.regs.map.registers})
        dut = self.env.dut
        self.check(f"{what}: (irq, s_axis_tready, m_axis_tvalid)", [0, 1, 0],
                   [int(dut.irq.value), int(dut.s_axis_tready.value), int(dut.m_axis_tvalid.value)])

    def config_values(self, job):
        return {"M": job.m, "N": job.n, "K": job.k, "MODE": job.mode, "OUT_MODE": job.out_mode,
                "SH": job.sh, "RELU": int(job.relu)}

    def reset_event(self, kind, phase):
        self.env.event_ap.write(("reset", kind, phase))

    def frame(self):
        """The result frame of the job that just finished (from seq_frames)."""
        ok, frame = self.env.seq_frames.try_get()
        assert ok, "no result frame arrived"
        return frame

    async def body(self):
        raise NotImplementedError
