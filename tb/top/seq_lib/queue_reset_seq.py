"""Resets with the queue and overlapped loads in flight: GEMM a runs on bank
0 (result stream held), GEMM b waits in the queue on bank 1, and a load into
bank 0 is stalled behind a; then CTRL.SOFT_RESET or aresetn. Both GEMMs are
cut short (no result frame), the queue is empty (Q_STATUS, DONE_COUNT 0),
BUSY low, every pin idle. After a soft reset the banks keep their contents:
b runs again from bank 1 without reloading, bit-exact; after either reset a
freshly loaded GEMM on bank 0 is bit-exact."""

import cocotb
from cocotb.triggers import ClockCycles

from tb.top.seq_lib.queue_seq import TopQueueSeq
from tb.top.seq_lib.reset_seq import TopResetSeq


class TopQueueResetSeq(TopQueueSeq, TopResetSeq):
    async def body(self):
        for kind in self.rng.permutation(["soft", "hard"] * int(self.knobs.get("rounds", 1))):
            await self.reset_round(str(kind))

    async def reset_round(self, kind):
        self.kind = kind
        a, b, c = (self.small_job(f"queued, {kind} reset: {n}", max_steps=256) for n in ("running", "queued", "next"))
        await self.load_bank(a.case, 0)
        self.hold_results()
        await self.push(a, 0)
        await self.load_bank(b.case, 1)
        await self.push(b, 1)
        await self.select_banks("LOAD_BANK", 0)
        stalled = cocotb.start_soon(self.load(c.case, wait_cycles=self.timeout(a)))
        await ClockCycles(self.clk, self.randint(1, 30))
        await self.expect_registers(f"{kind} reset: before it, b queued", {"Q_STATUS": 1})
        self._expect(f"{kind} reset: before it, the load into bank 0 stalled", False, stalled.done())
        stalled.cancel()
        self.loader.abandon()
        await self.do_reset()
        self.backpressure("none")
        self.sequencer.frames.flush()
        self.reset_event(kind, "queued")
        for job in (a, b):
            job.cut_short, job.reset_phase = kind, "queued"
            self.publish(job)
        await self.check_after(str(b), b)  # the registers hold the last configuration written: b's
        await self.expect_registers(f"{kind} reset: queue", {"Q_STATUS": 0, "DONE_COUNT": 0})
        if kind == "soft":  # banks and the bank registers are kept
            again = self.job_for(b.case, "queued before the soft reset, not reloaded")
            await self.push(again, 1)
            await self.wait_idle(self.timeout(b))
            await self.ack_irq()
            self.publish(again)
        await self.select_banks("RUN_BANK", 0)
        await self.run(self.job_for(c.case, f"after a {kind} reset with the queue in use"))
