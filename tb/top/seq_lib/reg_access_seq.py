"""uvm_reg_access_seq on the top, with the answers the RDL documents:
- RO: a write is answered `vsq_ro_write_resp` (SLVERR) and changes nothing;
- WO (CTRL): writing 0 is OKAY and does nothing; a read returns 0;
- W1C (IRQ_STATUS): a refused start (an error event) sets ERROR, read into
  the mirror; writing 0 keeps it, writing 1 clears it (the model predicts
  both); irq follows IRQ_STATUS & IRQ_ENABLE;
- unmapped addresses (the ends of every gap, the last word, a random
  sample): reads answer `vsq_unmapped_resp` with `vsq_unmapped_rdata`,
  writes answer `vsq_unmapped_resp`; afterwards every register still reads
  its mirror."""

from cocotb.triggers import ClockCycles

from tb.top.seq_lib.reg_seq_base import RegSeqBase


class TopRegAccessSeq(RegSeqBase):
    async def body(self):
        self.regs.reset()
        await self.check_ro_wo()
        await self.check_w1c()
        await self.check_unmapped()
        await self.check_against_mirror("at the end")

    async def check_ro_wo(self):
        regs = self.regs
        for reg in regs.map.registers:
            if reg.access == "RO":
                before = await regs.read(reg.name)
                resp = await regs.write(reg.name, ~before.value & 0xFFFFFFFF)
                after = await regs.read(reg.name)
                self.expect_mirror(f"{reg.name} (RO) write response", regs.map.ro_write_resp, resp)
                self.expect_mirror(f"{reg.name} (RO) unchanged by the write", before.value, after.value)
            elif reg.access == "WO":
                self.expect_mirror(f"{reg.name} (WO) write 0 response", 0, await regs.write(reg.name, 0))
                self.expect_mirror(f"{reg.name} (WO) reads 0", [0, 0], [(await regs.read(reg.name)).value,
                                                                  (await regs.read(reg.name)).resp])

    async def check_w1c(self):
        regs, dut = self.regs, self.dut
        await regs.write("IRQ_ENABLE", 0)
        await regs.write_config(0, 0, 0, 0, 0, 0, 0)  # a refused start: an error event, nothing runs
        await self.start_gemm()
        await ClockCycles(self.clk, 4)
        st = await regs.read("IRQ_STATUS")  # into the mirror
        error = regs.reg("IRQ_STATUS").field("ERROR")
        self.expect_mirror("IRQ_STATUS.ERROR set by the error event", 1, error.get(st.value))
        self.expect_mirror("irq with IRQ_ENABLE = 0", 0, int(dut.irq.value))
        await regs.write("IRQ_ENABLE", ERROR=1)
        await ClockCycles(self.clk, 2)
        self.expect_mirror("irq with IRQ_ENABLE.ERROR = 1", 1, int(dut.irq.value))
        for value, what in ((0, "writing 0 keeps"), (error.put(1), "writing 1 clears")):
            await regs.write("IRQ_STATUS", value)
            got = await regs.read("IRQ_STATUS")
            self.expect_mirror(f"IRQ_STATUS (W1C) {what}: read = mirror", regs.mirror("IRQ_STATUS"), got.value)
        self.expect_mirror("IRQ_STATUS cleared", 0, regs.mirror("IRQ_STATUS"))
        await ClockCycles(self.clk, 2)
        self.expect_mirror("irq after the W1C", 0, int(dut.irq.value))
        await regs.write("IRQ_ENABLE", regs.reset_value("IRQ_ENABLE"))

    async def check_unmapped(self):
        regs = self.regs
        rmap = regs.map
        gaps = rmap.unmapped_offsets()
        ends = [a for a in gaps if a - 4 not in gaps or a + 4 not in gaps]
        sample = sorted(set(ends) | {int(a) for a in self.rng.choice(gaps, size=min(24, len(gaps)), replace=False)})
        for addr in sample:
            data, resp = await self.sequencer.axil.read(addr)
            self.expect_mirror(f"unmapped read 0x{addr:03x} (data, resp)", [rmap.unmapped_read, rmap.unmapped_resp],
                       [data, resp])
            resp = await self.sequencer.axil.write(addr, int(self.rng.integers(1 << 32)))
            self.expect_mirror(f"unmapped write 0x{addr:03x} resp", rmap.unmapped_resp, resp)
