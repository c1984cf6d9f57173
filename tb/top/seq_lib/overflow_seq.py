"""Load overflow (architecture.md "Behaviour under bad input"): a legal case
is loaded and run; then, for each destination in random order, a load
longer than its buffer: the case's own words, filled up to the capacity with
random words, plus 1..5 words beyond it (TDEST 3, which has no buffer, gets a
few words). Each raises LOAD_OVERFLOW (13) once (ERR_COUNT + 1, irq), LOAD_x
counts every word received, and the excess is dropped: the case then runs
again without reloading the other destinations and must be bit-exact (the
overflowing load's first words are the case's own, so a wrapped or
misdirected excess word would show)."""

from cocotb.triggers import ClockCycles

from models.contract import ERROR_CODES
from models.numerics import MODES
from tb.top.layout import case_loads
from tb.top.regmodel import param_values
from tb.top.seq_lib.base_seq import TopBaseSeq


class TopOverflowSeq(TopBaseSeq):
    def capacity(self, dest):
        vals = param_values(self.params)
        return {0: self.lanes * self.a_depth, 1: self.b_depth,
                2: -(-vals["PPU_ROWS"] // (self.vec // 8)), 3: 0}[dest]

    async def body(self):
        mode, out_mode = self.choice(list(MODES)), self.choice(["int8", "int4_vsq", "softmax", "int8_vsq"])
        M, N, K = self.random_shape(mode, out_mode, max_steps=128)
        case = self.make_case(M, N, K, mode, out_mode)
        await self.run(self.job_for(case, "before the overflows"))
        loads = case_loads(case, self.lanes)
        width = self.vec * 4 + 8
        for dest in [int(d) for d in self.rng.permutation(4)]:
            own = loads.get(dest, [])
            cap = self.capacity(dest)
            extra = self.randint(1, 5)
            filler = [int.from_bytes(self.rng.bytes(width // 8), "little") for _ in range(cap - len(own) + extra)]
            words = own + filler
            self.load_idle(self.choice(("none", "random")))
            count = (await self.regs.read("ERR_COUNT")).value
            await self.loader.load([(dest, words)], timeout_cycles=20 * len(words) + 2000)
            self.load_idle("none")
            await ClockCycles(self.clk, 4)
            status = await self.regs.read("STATUS")
            irq = await self.ack_irq()
            what = f"overflow of TDEST {dest} ({len(words)} words, capacity {cap})"
            self.expect_status(what, ("BUSY", "ERROR", "ERR_CODE"), [0, 1, ERROR_CODES["LOAD_OVERFLOW"]], status)
            self.expect_read(f"{what}: IRQ_STATUS.ERROR", 1, irq.ERROR)
            await self.expect_err_count_increment(what, count, 1)
            if dest < 3:  # TDEST 3 has no buffer and no counter
                await self.expect_load_counts(what, [(dest, words)])
            await self.run(self.job_for(case, f"after the overflow of TDEST {dest}"), load=False)
