"""Resets at random points (architecture.md "Behaviour under bad input"):
CTRL.SOFT_RESET (`kind = "soft"`) or aresetn (`kind = "hard"`) while idle,
in the middle of a load, while the engine computes, or while results drain.

After a soft reset: STATUS, IRQ_STATUS, ERR_COUNT, the cycle counters and the
load counts read 0, the configuration registers and IRQ_ENABLE keep their
values, irq is low, no result word follows; the buffers and the g/bias table
are kept, so the interrupted case runs again without reloading (or, after a
reset during a load, with the load repeated) and must be bit-exact.
After aresetn: every register reads its reset value (rdl/vsq_top.rdl), and
the case runs again after a full reload, bit-exact.
A GEMM that happened to finish before the reset took effect is checked
like any other (its frame is complete)."""

import cocotb
from cocotb.triggers import ClockCycles, RisingEdge

from tb.common.clock_reset import reset
from tb.top.layout import TDEST, case_loads
from tb.top.seq_lib.base_seq import TopBaseSeq

PHASES = ("idle", "loading", "computing", "draining")
CLEARED = ("STATUS", "IRQ_STATUS", "ERR_COUNT", "CYC_TOTAL", "CYC_MAC", "LOAD_A", "LOAD_B", "LOAD_T")


class TopResetSeq(TopBaseSeq):
    kind = "soft"

    async def do_reset(self):
        if self.kind == "soft":
            resp = await self.regs.write("CTRL", SOFT_RESET=1)
            assert resp == 0
            await self.take_held_word()
            self.results.flush()
        else:
            await reset(self.clk, self.dut.aresetn, cycles=self.randint(1, 4))

    async def take_held_word(self):
        """A result word offered at the soft reset stays offered until taken
        (AXI4-Stream; docs/rtl-top.md "Resets"): take it before the frame is dropped."""
        self.backpressure("none")
        for _ in range(16):
            if not int(self.dut.m_axis_tvalid.value):
                return
            await RisingEdge(self.clk)

    async def check_after(self, what, job):
        if self.kind == "hard":
            await self.expect_reset_values(f"{what}: after aresetn")
            return
        expected = {name: 0 for name in CLEARED}
        expected.update(self.config_values(job))
        expected["IRQ_ENABLE"] = self.regs.reset_value("IRQ_ENABLE")
        await self.expect_registers(f"{what}: after the soft reset", expected)
        self.expect_idle_pins(f"{what}: after the soft reset")

    async def body(self):
        phases = list(PHASES) * int(self.knobs.get("rounds", 1))
        for i in self.rng.permutation(len(phases)):
            await self.round(phases[int(i)])

    async def round(self, phase):
        mode, out_mode = self.random_modes()
        M, N, K = self.random_shape(mode, out_mode, max_steps=256)
        case = self.make_case(M, N, K, mode, out_mode)
        job = self.job_for(case, f"{self.kind} reset {phase}")
        what = str(job)
        if phase == "idle":
            await self.run(job)
            await ClockCycles(self.clk, self.randint(0, 20))
            await self.do_reset()
            self.reset_event(self.kind, "idle")
            await self.check_after(what, job)
        elif phase == "loading":
            loads = case_loads(case, self.lanes)
            self.load_idle("random")
            t = cocotb.start_soon(self.loader.load([(d, loads[d]) for d in TDEST.values()]))
            await ClockCycles(self.clk, self.randint(1, max(2, sum(len(w) for w in loads.values()))))
            hit = "idle" if t.done() else "loading"
            if not t.done():
                t.cancel()
            self.load_idle("none")
            await self.configure(job)
            self.loader.abandon()  # the host stops its load, then resets
            await self.do_reset()
            self.reset_event(self.kind, hit)
            await self.check_after(what, job)
        else:
            await self.load(case)
            await self.configure(job)
            self.backpressure("random" if phase == "computing" else "storm")
            frames = self.results.frames
            await self.start_gemm()
            if phase == "computing":
                await ClockCycles(self.clk, self.randint(1, max(2, self.steps(job) // 2)))
            else:
                await self.wait_first_word(job, frames)
                await ClockCycles(self.clk, self.randint(0, 30))
            drained = self.results.sink.active
            await self.do_reset()
            self.backpressure("none")
            self.sequencer.frames.flush()
            if self.results.frames > frames:
                # it finished before the reset took effect: an ordinary GEMM
                # whose status the reset has cleared (the host monitor saw no
                # STATUS read: the scoreboard checks its frame only)
                self.publish(job)
                self.reset_event(self.kind, "idle")
            else:
                phase = "draining" if drained else "computing"
                self.reset_event(self.kind, phase)
                job.cut_short, job.reset_phase = self.kind, phase
                self.publish(job)
                await self.check_after(what, job)
        # the design is clean: the case again, bit-exact
        if self.kind == "hard" or phase == "loading":
            await self.run(self.job_for(case, f"after {self.kind} reset {phase}"))
        else:
            await self.run(self.job_for(case, f"after {self.kind} reset {phase}, not reloaded"), load=False)

    async def wait_first_word(self, job, frames):
        """Until the result stream has moved at least one word (or the GEMM is over)."""
        for _ in range(self.timeout(job) // 8):
            if self.results.sink.active or self.results.frames > frames:
                return
            await ClockCycles(self.clk, 8)
