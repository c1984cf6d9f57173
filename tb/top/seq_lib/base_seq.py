"""Base top sequence (virtual, run on the env's TopSequencer): what a host
does with the accelerator, as helpers on the sequencer's agents and
register model.

- shapes and cases: legal shapes that fit the buffers (and a step budget),
  cases from models.casegen;
- `run(req)`: configure the registers, load A, B and the g/bias table
  (unless told not to), START, wait for the irq, read STATUS and the cycle
  counters, acknowledge the irq (W1C), publish the request (the host is done
  with it: the scoreboard pairs it with the host monitor's observation);
- back-pressure on the result stream and idle gaps on the load stream from
  the shared `BackPressure` patterns;
- the sequence's own checks: tb.top.seq_lib.host_checks.
Subclasses write `body()`.
"""

import itertools
from dataclasses import dataclass

from cocotb.triggers import ClockCycles
from pyuvm import uvm_sequence

from models.casegen import random_case
from models.contract import m_unit, mac_steps, top_code, v_of
from models.numerics import MODES, OUT_MODES
from models.softmax import MAX_LEN
from tb.common.valid_ready import BackPressure
from tb.top.layout import TDEST, case_loads
from tb.top.seq_item import MODE_NAMES, CaseOutputs, GemmRequest
from tb.top.seq_lib.host_checks import HostChecks


@dataclass
class EndStatus:
    """What the host read at the end of a job, for its own decisions (the
    scoreboard's copy is the host monitor's)."""
    done: bool
    error: bool
    err_code: int
    cyc_total: int
    cyc_mac: int


class TopBaseSeq(HostChecks, uvm_sequence):
    def __init__(self, name, rng, params, **knobs):
        super().__init__(name)
        self.rng, self.params, self.knobs = rng, params, knobs
        # Stream patterns draw from their own generator: how many draws they
        # take depends on timing, which must not shift the cases that follow.
        self.bp_rng = rng.spawn(1)[0]
        self.lanes, self.vec, self.ad = params["LANES"], params["VEC"], params["ACC_DEPTH"]
        self.a_depth, self.b_depth = params["A_DEPTH"], params["B_DEPTH"]
        # Step budget per random GEMM: 512 steps in the fast configuration.
        self.max_steps = int(knobs.get("max_steps", 16 * self.a_depth))

    # ---------------------------------------------------------------- the sequencer's means
    @property
    def regs(self):
        return self.sequencer.regs

    @property
    def dut(self):
        return self.sequencer.dut

    @property
    def clk(self):
        return self.sequencer.dut.aclk

    @property
    def loader(self):
        return self.sequencer.loader

    @property
    def results(self):
        return self.sequencer.results

    # ---------------------------------------------------------------- random helpers
    def randint(self, lo, hi):
        """Uniform integer in [lo, hi]."""
        return int(self.rng.integers(lo, hi + 1))

    def choice(self, seq):
        return seq[int(self.rng.integers(len(seq)))]

    def m_unit(self, out_mode):
        """M must be a multiple of this for the out_mode (LANES, or lcm(LANES, Vo))."""
        return m_unit(out_mode, self.params)

    def kv_cap(self, out_mode):
        return min(self.a_depth // (self.m_unit(out_mode) // self.lanes), self.b_depth // self.ad)

    def random_shape(self, mode, out_mode, max_steps=None, max_kv=None, max_m=None, max_n=None):
        """A legal (M, N, K) that fits the buffers, with at most max_steps MAC
        steps ((M/LANES)·N·(K/V)), shrinking M and N rather than K."""
        max_steps = max_steps or self.max_steps
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
        V = v_of(mode, self.params)
        while mac_steps(M, N, kv * V, mode, self.params) > max_steps and (M > unit or N > self.ad):
            if M > unit and (M // self.lanes >= N // self.ad or N == self.ad):
                M = max(unit, (M // 2) // unit * unit)
            else:
                N = max(self.ad, (N // 2) // self.ad * self.ad)
        return M, N, kv * V

    def illegal_config(self):
        """A random configuration (m, n, k, mode, out_mode) that breaks at least one rule."""
        while True:
            cfg = (self.randint(0, 3) * self.lanes + self.randint(0, 1) * self.randint(0, self.lanes - 1),
                   self.randint(0, 3) * self.ad + self.randint(0, 1) * self.randint(0, self.ad - 1),
                   self.randint(0, 4 * self.vec), self.randint(0, 3), self.randint(0, 7))
            if top_code(*cfg, self.params):
                return cfg

    def make_case(self, M, N, K, mode, out_mode, data="random", **kw):
        return random_case(self.rng, M=M, N=N, K=K, mode=mode, out_mode=out_mode, vec=self.vec,
                           lanes=self.lanes, data=data, **kw)

    def random_modes(self):
        return self.choice(list(MODES)), self.choice(list(OUT_MODES))

    @staticmethod
    def job_for(case, tag=""):
        return GemmRequest.for_case(case, tag)

    @staticmethod
    def illegal_job(m, n, k, mode, out_mode, tag="illegal"):
        """A start meant to be refused (no case): the scoreboard works out the code."""
        return GemmRequest(m=m, n=n, k=k, mode=mode, out_mode=out_mode, sh=0, relu=False, tag=tag)

    # ---------------------------------------------------------------- stream patterns
    def backpressure(self, kind):
        """Result-stream TREADY pattern of a kind (none / random / storm)."""
        self.results.set_backpressure(None if kind == "none" else BackPressure(self.bp_rng, kind))

    def hold_results(self):
        """TREADY low until the next backpressure(): a running GEMM cannot send
        its last word, so it stays BUSY (BUSY falls when TLAST is accepted)."""
        self.results.set_backpressure(itertools.repeat((0, 1 << 12)))

    def load_idle(self, kind):
        """Idle gaps between load beats (none / random / storm)."""
        self.loader.set_idle(None if kind == "none" else BackPressure(self.bp_rng, kind, max_low=8))

    # ---------------------------------------------------------------- timing budget
    def steps(self, job):
        return mac_steps(job.m, job.n, job.k, MODE_NAMES[job.mode], self.params) if job.mode in MODE_NAMES else 0

    def out_words(self, job):
        return job.m * job.n // max(1, self.vec // 8) + job.n

    def timeout(self, job):
        """Generous: every result word may wait through a back-pressure storm."""
        return 4 * self.steps(job) + 80 * self.out_words(job) + 20000

    # ---------------------------------------------------------------- host actions
    async def configure(self, job):
        await self.regs.write_config(job.m, job.n, job.k, job.mode, job.out_mode, job.sh, job.relu)

    async def load(self, case, dests=tuple(TDEST.values()), check=None, wait_cycles=0):
        """Load the case's A, B and table (those in dests), allowing
        `wait_cycles` more for a load that waits for its bank. With `check` (a
        request), the LOAD_* counters are checked against the words sent."""
        loads = case_loads(case, self.lanes)
        frames = [(d, loads[d]) for d in dests]
        words = sum(len(w) for _, w in frames)
        await self.loader.load(frames, timeout_cycles=20 * words + 2000 + wait_cycles)
        if check is not None:
            await self.expect_load_counts(str(check), frames)

    async def write_banks(self, reg, banks):
        """LOAD_BANK or RUN_BANK from {"A": bank, "B": bank, "T": bank}."""
        resp = await self.regs.write(reg, **banks)
        assert resp == 0, f"write of {reg} answered {resp}"

    async def push_descriptor(self, wait_room=True):
        """Q_CTRL.PUSH: queue the configuration registers and RUN_BANK (first
        waiting for room, Q_STATUS.FULL low, unless told not to)."""
        while wait_room and (await self.regs.read("Q_STATUS")).FULL:
            await ClockCycles(self.clk, 8)
        resp = await self.regs.write("Q_CTRL", PUSH=1)
        assert resp == 0, f"write of Q_CTRL.PUSH answered {resp}"

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
        """Wait (irq) until the job is no longer busy; returns what the host
        read at its end (STATUS and the cycle counters)."""
        timeout = timeout or self.timeout(job)
        while True:
            await self.sequencer.irq.wait_high(timeout)
            status = await self.regs.read("STATUS")
            await self.ack_irq()
            if not status.BUSY:
                break
        cyc_total = int(await self.regs.read("CYC_TOTAL"))
        cyc_mac = int(await self.regs.read("CYC_MAC"))
        return EndStatus(bool(status.DONE), bool(status.ERROR), status.ERR_CODE, cyc_total, cyc_mac)

    def publish(self, job):
        """The host is done with the job: the request to the host monitor and the scoreboard."""
        self.sequencer.request_ap.write(job)

    async def run(self, job, load=True, bp="none", publish=True):
        """One job through the registers and streams, start to finish;
        returns what the host read at its end."""
        if job.case is not None and load:
            await self.load(job.case, check=job)
        await self.configure(job)
        self.backpressure(bp)
        job.backpressure = bp
        self.sequencer.frames.flush()
        await self.start_gemm()
        end = await self.wait_end(job)
        self.backpressure("none")
        if job.case is None:
            await ClockCycles(self.clk, 20)  # room for a wrongly started GEMM to show words
        if publish:
            self.publish(job)
        return end

    def publish_outputs(self, what, case, outputs):
        """A case's outputs put together from several GEMMs, for the
        scoreboard to check against the model on the whole case."""
        self.sequencer.outputs_ap.write(CaseOutputs(what, case, outputs))

    def config_values(self, job):
        return {"M": job.m, "N": job.n, "K": job.k, "MODE": job.mode, "OUT_MODE": job.out_mode,
                "SH": job.sh, "RELU": int(job.relu)}

    def reset_event(self, kind, phase):
        self.sequencer.event_ap.write(("reset", kind, phase))

    def frame(self):
        """The result frame of the job that just finished (from the sequencer's frames)."""
        ok, frame = self.sequencer.frames.try_get()
        assert ok, "no result frame arrived"
        return frame

    async def body(self):
        raise NotImplementedError
