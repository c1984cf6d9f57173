"""Overlapped execution (docs/overlap-design.md): chained GEMMs through the
descriptor queue, each one's operands loaded into the bank the previous one
does not read, while it computes.

- `chain` rounds: 3..6 GEMMs, banks alternating, each pushed (Q_CTRL.PUSH)
  after its loads; the loads of GEMM i wait (TREADY low) while GEMM i-2 still
  reads the same bank and overlap GEMM i-1. Sometimes one descriptor of the
  chain is illegal (no loads): it is refused when it would start and the
  others run. Random result back-pressure and load gaps. At the end: the
  queue empty, DONE_COUNT up by the accepted GEMMs and ERR_COUNT by the
  refused ones (the rules of models.contract decide which); every GEMM's
  frame is checked by the scoreboard against models/.
- `stall` round: while a GEMM on bank 0 is held (result TREADY low), a whole
  load into bank 1 completes with BUSY high, and a load into bank 0 does not
  move (TREADY low, LOAD_A unchanged) until that GEMM has finished.
- `full` round: while a GEMM is held, the queue is filled with copies of it
  (its banks stay loaded) and one push more is refused: Q_STATUS.FULL,
  ERROR with QUEUE_FULL, ERR_COUNT + 1; then every queued copy runs.
- `bank_map` rounds, one per buffer (A, B, g/bias table) in random order:
  the banks differ per buffer, so that the one bank in use of the buffer
  under test, X[b], is the only one with that bank number in use (the other
  buffers read bank 1-b). X[b] is read by the held running GEMM or only by
  a queued one (the running one reads X[1-b]). Loads into the free banks
  complete; a load into X[b] does not move (TREADY low, its LOAD_ counter
  unchanged) until the GEMM that reads it has finished. A mix-up of which
  buffer's or which bank's in-use bit a load consults fails here.
"""

import cocotb
from cocotb.triggers import ClockCycles

from models.contract import BANKS, ERROR_CODES, QUEUE_DEPTH, top_code
from tb.top.layout import TDEST
from tb.top.seq_lib.base_seq import TopBaseSeq


class TopQueueSeq(TopBaseSeq):
    async def body(self):
        rounds = int(self.knobs.get("rounds", 2))
        await self.stall_round()
        await self.full_round()
        if BANKS > 1:
            for buf in self.rng.permutation(list(TDEST)):
                await self.bank_map_round(str(buf), queued=bool(self.randint(0, 1)))
        for r in range(rounds):
            await self.chain(self.randint(3, 6), illegal=(r % 2 == 1))

    # ---------------------------------------------------------------- host actions on banks and the queue
    async def select_banks(self, reg, bank):
        await self.write_banks(reg, dict.fromkeys(TDEST, bank))

    async def load_bank(self, case, bank, wait_cycles=0):
        """Load a case's A, B and table into `bank`; may wait for the bank."""
        await self.select_banks("LOAD_BANK", bank)
        await self.load(case, wait_cycles=wait_cycles)

    async def push(self, job, bank):
        await self.configure(job)
        await self.select_banks("RUN_BANK", bank)
        await self.push_descriptor(wait_room=False)  # the full round pushes into a full queue on purpose

    async def wait_idle(self, budget):
        """Poll STATUS until BUSY is low (the queue empty and the last GEMM done)."""
        for _ in range(budget // 32 + 1):
            if not (await self.regs.read("STATUS")).BUSY:
                return
            await ClockCycles(self.clk, 32)
        raise AssertionError(f"still BUSY after {budget} cycles. Reproduce: {self.sequencer.cfg.repro()}")

    async def counters(self):
        return int(await self.regs.read("DONE_COUNT")), int(await self.regs.read("ERR_COUNT"))

    def small_job(self, tag, max_steps=192):
        mode, out_mode = self.random_modes()
        return self.job_for(self.make_case(*self.random_shape(mode, out_mode, max_steps=max_steps),
                                           mode, out_mode), tag)

    def code(self, job):
        return top_code(job.m, job.n, job.k, job.mode, job.out_mode, self.params)

    # ---------------------------------------------------------------- rounds
    async def chain(self, n, illegal):
        bp = self.choice(("none", "random", "storm"))
        self.backpressure(bp)
        self.load_idle(self.choice(("none", "random")))
        bad = self.randint(0, n - 1) if illegal else None
        done0, err0 = await self.counters()
        jobs = []
        for i in range(n):
            bank = i % BANKS
            if i == bad:
                job = self.illegal_job(*self.illegal_config(), tag="queued illegal")
            else:
                job = self.small_job(f"chain {i}/{n}")
                # waits while GEMM i-2 reads this bank: as long as one GEMM at most
                await self.load_bank(job.case, bank, wait_cycles=max((self.timeout(j) for j in jobs), default=0))
            job.backpressure = bp
            await self.push(job, bank)
            jobs.append(job)
            self.event("overlap", "chain" if i else "chain_start")
        await self.wait_idle(sum(self.timeout(j) for j in jobs))
        self.backpressure("none")
        self.load_idle("none")
        refused = [j for j in jobs if self.code(j)]
        if refused:
            self.event("overlap", "queued_refused")
        done1, err1 = await self.counters()
        self._expect(f"chain of {n}: (DONE_COUNT, ERR_COUNT) increments", [n - len(refused), len(refused)],
                     [done1 - done0, err1 - err0])
        await self.expect_registers(f"chain of {n}: queue empty", {"Q_STATUS": 0})
        await self.ack_irq()
        for job in jobs:
            self.publish(job)

    async def stall_round(self):
        job = self.small_job("stall bank 0", max_steps=256)
        nxt = self.small_job("stall bank 1")
        await self.load_bank(job.case, 0)
        self.hold_results()
        job.backpressure = "storm"
        await self.push(job, 0)
        # a load into the other bank completes while the GEMM runs
        await self.load_bank(nxt.case, 1)
        status = await self.regs.read("STATUS")
        self.expect_status("load into bank 1 during the GEMM on bank 0", ["BUSY"], [1], status)
        self.event("overlap", "load_during_compute")
        # a load into the bank in use does not move
        words_a = int(await self.regs.read("LOAD_A"))
        third = self.small_job("stall bank 0 again")
        await self.select_banks("LOAD_BANK", 0)
        t = cocotb.start_soon(self.load(third.case, wait_cycles=self.timeout(job)))
        await ClockCycles(self.clk, 40)
        self._expect("load into bank 0 while its GEMM runs: (done, s_axis_tready, LOAD_A)",
                     [False, 0, words_a], [t.done(), int(self.dut.s_axis_tready.value),
                                           int(await self.regs.read("LOAD_A"))])
        self.event("overlap", "load_stalled_busy_bank")
        self.backpressure("storm")
        await t  # goes on once the GEMM on bank 0 has finished
        self.backpressure("none")
        await self.push(nxt, 1)
        await self.push(third, 0)
        await self.wait_idle(self.timeout(job) + self.timeout(nxt) + self.timeout(third))
        await self.ack_irq()
        for j in (job, nxt, third):
            self.publish(j)

    async def full_round(self):
        job = self.small_job("queue full", max_steps=128)
        await self.load_bank(job.case, 0)
        self.hold_results()
        job.backpressure = "storm"
        err0 = int(await self.regs.read("ERR_COUNT"))
        copies = [job] + [self.job_for(job.case, f"queue full copy {i}") for i in range(QUEUE_DEPTH)]
        for c in copies:
            c.backpressure = "storm"
            await self.push(c, 0)
        # the first is running (held), QUEUE_DEPTH copies wait: the queue is full
        await ClockCycles(self.clk, 4)
        await self.expect_registers("queue filled", {"Q_STATUS": QUEUE_DEPTH | (1 << 8)})
        extra = self.job_for(job.case, "pushed into a full queue")
        extra.queue_full = True
        await self.push(extra, 0)
        status = await self.regs.read("STATUS")
        self.expect_status("push into a full queue", ["BUSY", "ERROR", "ERR_CODE"],
                           [1, 1, ERROR_CODES["QUEUE_FULL"]], status)
        self._expect("push into a full queue: ERR_COUNT increment", 1, int(await self.regs.read("ERR_COUNT")) - err0)
        self.event("overlap", "queue_full")
        self.backpressure("storm")
        await self.wait_idle(sum(self.timeout(c) for c in copies))
        self.backpressure("none")
        await self.ack_irq()
        for c in copies + [extra]:
            self.publish(c)

    async def bank_map_round(self, buf, queued):
        b = self.randint(0, 1)
        others = {x: 1 - b for x in TDEST if x != buf}
        run = self.small_job(f"bank map {buf}{b} running", max_steps=256)
        run_banks = {**others, buf: 1 - b if queued else b}
        # the queued GEMM shares the running one's operands (both read Y[1-b]), so
        # X[b] and X[1-b] hold the same case
        jobs = [(run, run_banks)] + ([(self.job_for(run.case, f"bank map {buf}{b} queued"), {**others, buf: b})]
                                     if queued else [])
        for job, banks in jobs:
            await self.write_banks("LOAD_BANK", banks)
            await self.load(job.case)
        self.hold_results()
        for job, banks in jobs:
            job.backpressure = "storm"
            await self.configure(job)
            await self.write_banks("RUN_BANK", banks)
            await self.push_descriptor(wait_room=False)
        spare = self.small_job("bank map spare").case
        in_use = {(x, k) for _, banks in jobs for x, k in banks.items()}
        for x in TDEST:  # the free banks take a load while the GEMM is held
            for k in range(BANKS):
                if (x, k) not in in_use:
                    await self.write_banks("LOAD_BANK", {**run_banks, x: k})
                    await self.load(spare, dests=(TDEST[x],))
        status = await self.regs.read("STATUS")
        self.expect_status(f"bank map {buf}{b}: free banks loaded during the held GEMM", ["BUSY"], [1], status)
        counter = f"LOAD_{buf}"
        words = int(await self.regs.read(counter))
        await self.write_banks("LOAD_BANK", {**run_banks, buf: b})
        t = cocotb.start_soon(self.load(spare, dests=(TDEST[buf],), wait_cycles=sum(self.timeout(j) for j, _ in jobs)))
        await ClockCycles(self.clk, 40)
        who = "a queued" if queued else "the running"
        self._expect(f"load into {buf}{b}, read by {who} GEMM: (done, s_axis_tready, {counter})",
                     [False, 0, words], [t.done(), int(self.dut.s_axis_tready.value),
                                         int(await self.regs.read(counter))])
        self.event("overlap", "load_stalled_busy_bank")
        self.backpressure("storm")
        await t  # moves once the GEMM that reads X[b] has finished
        await self.wait_idle(sum(self.timeout(j) for j, _ in jobs))
        self.backpressure("none")
        await self.ack_irq()
        for job, _ in jobs:
            self.publish(job)

    def event(self, kind, what):
        self.sequencer.event_ap.write((kind, what))
