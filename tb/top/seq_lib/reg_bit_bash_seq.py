"""uvm_reg_bit_bash_seq on the top: every bit of every RW register (its
reserved bits included) is written 1 then 0, the others held at their
mirrored value, and read back against the mirror (reserved bits read 0);
then each byte lane alone (WSTRB) writes ~mirror and only that byte may
change. Every register is left at its reset value."""

from tb.top.seq_lib.reg_seq_base import RegSeqBase


class TopRegBitBashSeq(RegSeqBase):
    async def body(self):
        regs = self.regs
        regs.reset()
        for reg in regs.map.registers:
            if reg.access != "RW":
                continue
            width = regs.map.data_width
            for bit in range(width):
                for level in (1, 0):
                    base = regs.mirror(reg.name)
                    value = (base | 1 << bit) if level else (base & ~(1 << bit))
                    resp = await regs.write(reg.name, value)
                    got = await regs.read(reg.name)
                    self.expect_mirror(f"{reg.name} bit {bit} <- {level}: (response, read back = mirror)",
                               [0, regs.mirror(reg.name)], [resp, got.value])
            for lane in range(width // 8):
                value = ~regs.mirror(reg.name) & ((1 << width) - 1)
                resp = await regs.write(reg.name, value, strb=1 << lane)
                got = await regs.read(reg.name)
                self.expect_mirror(f"{reg.name} WSTRB 0x{1 << lane:x}: (response, read back = mirror)",
                           [0, regs.mirror(reg.name)], [resp, got.value])
            await regs.write(reg.name, regs.reset_value(reg.name))
        await self.check_against_mirror("after the bit bash")
