"""CTRL.SOFT_RESET while a result word is offered and not taken (m_axis
TREADY held low). AXI4-Stream (IHI 0051, 2.2.1) lets TVALID fall only after
the handshake (or in aresetn), so the word stays offered with TDATA, TUSER
and TLAST unchanged, however long TREADY stays low; once taken, TVALID falls
and no other word of the aborted frame follows. Every other round stalls
on the frame's last word (TLAST high), the others on its first. The registers then read as
after any soft reset, and the case runs again bit-exact without reloading
(docs/rtl-top.md "Resets"). This is the sequence a formal AXI4-Stream
property set failed on (formal/top_axi.sby, axis_m_valid_stable)."""

import cocotb
from cocotb.triggers import ClockCycles, ReadOnly, RisingEdge, Timer

from tb.top.seq_lib.reset_seq import TopResetSeq


class TopStallResetSeq(TopResetSeq):
    kind = "soft"

    async def body(self):
        for r in range(int(self.knobs.get("rounds", 3))):
            await self.stall_round(at_last=(r % 2 == 1))

    def offered(self):
        dut = self.dut
        return [int(dut.m_axis_tvalid.value), int(dut.m_axis_tdata.value),
                int(dut.m_axis_tuser.value), int(dut.m_axis_tlast.value)]

    async def watch(self, word, result, limit):
        """Every cycle until the handshake (at most `limit` cycles): the offer
        is the one seen first."""
        dut = self.dut
        for _ in range(limit):
            await RisingEdge(self.clk)
            now = self.offered()
            if now != word and not result:
                result.append(now)
            if now[0] and int(dut.m_axis_tready.value):
                return

    async def step_to_last(self, sink, limit):
        """With TREADY held low, let the sink take one word at a time until the
        word offered is its frame's last (TLAST): the sink samples `pause`
        before each edge, so a pause released for less than a cycle lets
        exactly one handshake through."""
        dut = self.dut
        for _ in range(limit):
            await RisingEdge(self.clk)
            await ReadOnly()
            if int(dut.m_axis_tvalid.value) and int(dut.m_axis_tlast.value):
                return True
            if int(dut.m_axis_tvalid.value) and not int(dut.m_axis_tready.value):
                await Timer(1, "ns")
                sink.pause = False
                await Timer(1, "ns")
                sink.pause = True
        return False

    async def stall_round(self, at_last):
        mode, out_mode = self.random_modes()
        M, N, K = self.random_shape(mode, out_mode, max_steps=128)
        case = self.make_case(M, N, K, mode, out_mode)
        job = self.job_for(case, "soft reset at a stalled result word")
        what = str(job)
        await self.load(case)
        await self.configure(job)
        sink = self.results.sink
        sink.clear_pause_generator()
        sink.pause = True                          # TREADY low from now on
        await self.start_gemm()
        if at_last:  # the held word is the frame's last: TLAST must be held too
            self.expect_stream(f"{what}: the frame's last word reached under TREADY low", True,
                               await self.step_to_last(sink, self.timeout(job)))
            await RisingEdge(self.clk)
        else:
            for _ in range(self.timeout(job)):
                await RisingEdge(self.clk)
                if int(self.dut.m_axis_tvalid.value):
                    break
        await ClockCycles(self.clk, self.randint(0, 8))
        word = self.offered()
        self.expect_stream(f"{what}: a result word is offered under TREADY low", 1, word[0])
        changed, hold = [], self.randint(1, 24)
        watcher = cocotb.start_soon(self.watch(word, changed, limit=hold + 100))
        resp = await self.regs.write("CTRL", SOFT_RESET=1)
        assert resp == 0, f"write of CTRL.SOFT_RESET answered {resp}"
        await ClockCycles(self.clk, hold)
        sink.pause = False                         # the host takes the held word
        await watcher
        await ClockCycles(self.clk, 2)
        self.expect_stream(f"{what}: m_axis (TVALID, TDATA, TUSER, TLAST) held from the soft reset to TREADY",
                   word, changed[0] if changed else word)
        self.expect_stream(f"{what}: m_axis_tvalid after the held word was taken", 0,
                   int(self.dut.m_axis_tvalid.value))
        if not at_last:
            self.results.flush()               # the aborted frame's words
        self.sequencer.frames.flush()
        self.reset_event(self.kind, "draining")
        job.cut_short, job.reset_phase, job.held_last = self.kind, "draining", at_last
        self.publish(job)
        await self.check_after(what, job)
        await self.run(self.job_for(case, "after a soft reset at a stalled word, not reloaded"), load=False)
