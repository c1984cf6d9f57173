"""uvm_reg_hw_reset_seq on the top: after aresetn every register reads its
reset value from the model (P_* from this build's parameters), with OKAY,
volatile fields included; then every RW register is written with a random
value, an error event moves STATUS, ERR_COUNT and IRQ_STATUS, aresetn is
pulsed, the model is reset, and every register reads its reset value again."""

from cocotb.triggers import ClockCycles

from tb.common.clock_reset import reset
from tb.top.seq_lib.reg_seq_base import RegSeqBase


class TopRegHwResetSeq(RegSeqBase):
    async def body(self):
        regs = self.regs
        regs.reset()
        await self.check_reset("after the first reset")
        for reg in regs.map.registers:
            if reg.access == "RW":
                self.expect_mirror(f"{reg.name} random write response", 0,
                           await regs.write(reg.name, int(self.rng.integers(1 << 32))))
        await regs.write_config(0, 0, 0, 0, 0, 0, 0)
        await self.start_gemm()  # refused (ZERO_DIM): STATUS, ERR_COUNT, IRQ_STATUS move
        await ClockCycles(self.clk, 4)
        moved = [r.name for r in regs.map.registers
                 if (await regs.read(r.name)).value != regs.reset_value(r.name)]
        self.expect_mirror("registers moved away from reset before the second reset",
                   True, {"STATUS", "ERR_COUNT", "IRQ_STATUS"} <= set(moved))
        await reset(self.clk, self.dut.aresetn)
        regs.reset()
        self.reset_event("hard", "idle")
        await self.check_reset("after a second reset")

    async def check_reset(self, what):
        for reg in self.regs.map.registers:
            expected = self.regs.reset_value(reg.name) & self.readable_mask(reg)
            got = await self.regs.read(reg.name)
            self.expect_mirror(f"{what}: {reg.name} reset value and response", [expected, 0], [got.value, got.resp])
