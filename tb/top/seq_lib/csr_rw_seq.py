"""Register access types against rdl/vsq_top.rdl, for every register:
- RW: random values (full and partial WSTRB) read back masked to the fields,
  reserved bits 0; the reset value is restored;
- RO: a write is answered SLVERR and changes nothing;
- WO (CTRL): writing 0 is OKAY, reads return 0;
- W1C (IRQ_STATUS): an error event sets ERROR, writing 0 keeps it, writing 1
  clears it, and irq follows IRQ_STATUS & IRQ_ENABLE;
- unmapped addresses (a random sample plus the ends of every gap): reads
  answer SLVERR with data 0, writes answer SLVERR and change nothing.
"""

from cocotb.triggers import ClockCycles

from models.contract import ERROR_CODES
from tb.top.seq_lib.base_seq import TopBaseSeq
from tb.top.seq_lib.host_checks import OKAY, SLVERR


class TopCsrRwSeq(TopBaseSeq):
    async def body(self):
        regs = self.regs
        for reg in regs.map.registers:
            if reg.access == "RW":
                await self.check_rw(reg)
            elif reg.access == "RO":
                before = await regs.read(reg.name)
                resp = await regs.write(reg.name, int(self.rng.integers(1 << 32)))
                after = await regs.read(reg.name)
                self.expect_response(f"{reg.name} (RO) write", SLVERR, resp)
                self.expect_read(f"{reg.name} (RO) unchanged by a write", before.value, after.value)
            elif reg.access == "WO":
                resp = await regs.write(reg.name, 0)
                self.expect_response(f"{reg.name} (WO) write 0", OKAY, resp)
                self.expect_read(f"{reg.name} (WO) reads 0", 0, (await regs.read(reg.name)).value)
        await self.check_w1c()
        await self.check_unmapped()

    async def check_rw(self, reg):
        regs = self.regs
        for i in range(4):
            value = int(self.rng.integers(1 << 32))
            strb = 0xF if i < 2 else self.choice((0x1, 0x3, 0x6, 0xC, 0x8, 0xE))
            before = (await regs.read(reg.name)).value
            resp = await regs.write(reg.name, value, strb=strb)
            got = await regs.read(reg.name)
            bytes_mask = sum(0xFF << (8 * b) for b in range(4) if strb >> b & 1)
            expected = ((before & ~bytes_mask) | (value & bytes_mask)) & reg.mask
            self.expect_response(f"{reg.name} (RW) write", OKAY, resp)
            self.expect_read(f"{reg.name} (RW) read back of 0x{value:08x} strb 0x{strb:x}", expected, got.value)
        await regs.write(reg.name, regs.reset_value(reg.name))

    async def check_w1c(self):
        regs = self.regs
        await regs.write("IRQ_ENABLE", 0)
        await regs.write_config(0, 0, 0, 0, 0, 0, 0)  # ZERO_DIM: an error event, nothing runs
        await self.start_gemm()
        await ClockCycles(self.clk, 4)
        st = await regs.read("IRQ_STATUS")
        self.expect_read("IRQ_STATUS after an error event", 0b10, st.value)
        self.expect_irq("with IRQ_ENABLE = 0", 0)
        await regs.write("IRQ_ENABLE", ERROR=1)
        await ClockCycles(self.clk, 2)
        self.expect_irq("with IRQ_ENABLE.ERROR = 1", 1)
        await regs.write("IRQ_STATUS", 0)
        self.expect_read("IRQ_STATUS (W1C) after writing 0", 0b10, (await regs.read("IRQ_STATUS")).value)
        await regs.write("IRQ_STATUS", ERROR=1)
        self.expect_read("IRQ_STATUS (W1C) after writing 1", 0, (await regs.read("IRQ_STATUS")).value)
        await ClockCycles(self.clk, 2)
        self.expect_irq("after the W1C", 0)
        self.expect_status("after the refused start", ("ERROR", "ERR_CODE"), [1, ERROR_CODES["ZERO_DIM"]],
                           await regs.read("STATUS"))
        await regs.write("IRQ_ENABLE", regs.reset_value("IRQ_ENABLE"))

    async def check_unmapped(self):
        regs = self.regs
        gaps = regs.map.unmapped_offsets()
        ends = [a for a in gaps if a - 4 not in gaps or a + 4 not in gaps]
        sample = sorted(set(ends) | {int(a) for a in self.rng.choice(gaps, size=min(24, len(gaps)), replace=False)})
        watched = {name: (await regs.read(name)).value for name in ("M", "N", "K", "IRQ_ENABLE", "ERR_COUNT")}
        for addr in sample:
            data, resp = await self.sequencer.axil.read(addr)
            self.expect_read(f"unmapped read 0x{addr:03x} (data, resp)", [regs.map.unmapped_read, SLVERR], [data, resp])
            resp = await self.sequencer.axil.write(addr, int(self.rng.integers(1 << 32)))
            self.expect_response(f"unmapped write 0x{addr:03x}", SLVERR, resp)
        after = {name: (await regs.read(name)).value for name in watched}
        self.expect_read("registers unchanged by unmapped writes", list(watched.values()), list(after.values()))
