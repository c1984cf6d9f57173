"""Start while busy (architecture.md "Behaviour under bad input"): while a
GEMM runs (result stream held: TREADY low, so that it cannot end between
a STATUS read and the START write that follows it), the host
rewrites the configuration registers with another shape and writes START
1..3 more times. Each extra start is ignored and counted: ERROR with BUSY
(12), ERR_COUNT + 1 each, irq; the running GEMM is bit-exact with its own
configuration (latched at its start). The next GEMM, with the configuration
written again, is bit-exact too."""

from cocotb.triggers import ClockCycles

from tb.top.seq_lib.base_seq import TopBaseSeq


class TopBusySeq(TopBaseSeq):
    async def body(self):
        for _ in range(int(self.knobs.get("rounds", 3))):
            mode, out_mode = self.random_modes()
            M, N, K = self.random_shape(mode, out_mode, max_steps=256)
            job = self.job_for(self.make_case(M, N, K, mode, out_mode), "busy")
            await self.load(job.case, check=job)
            await self.configure(job)
            self.hold_results()
            job.backpressure = "storm"
            count = (await self.regs.read("ERR_COUNT")).value
            await self.start_gemm()
            busy_starts = 0
            mode2, out2 = self.random_modes()
            await self.regs.write_config(*self.random_shape(mode2, out2), self.randint(0, 2),
                                         self.randint(0, 5), self.randint(0, 31), self.randint(0, 1))
            for _ in range(self.randint(1, 3)):
                await ClockCycles(self.clk, self.randint(1, 40))
                if (await self.regs.read("STATUS")).BUSY:
                    await self.start_gemm()
                    busy_starts += 1
            self.backpressure("storm")
            await self.wait_end(job)
            self.backpressure("none")
            await self.expect_err_count_increment(str(job), count, busy_starts)
            self.publish(job)
            await self.run(self.job_for(self.make_case(*self.random_shape(mode, out_mode, max_steps=128),
                                                       mode, out_mode), "after busy"))
