"""Base of the standard register sequences (the UVM register library's
hw_reset, bit_bash and access sequences, on the pyuvm model that
PeakRDL-pyuvm generates from rdl/vsq_top.rdl): every expected value is the
model's mirror (`regs.mirror`) or its reset value, never a literal, so these
sequences are also the proof that rtl/vsq_top_regs.v agrees with the RDL on
every address, access type and reset value."""

from tb.top.seq_lib.base_seq import TopBaseSeq


class RegSeqBase(TopBaseSeq):
    def readable_mask(self, reg):
        """Bits a read returns: WO fields read 0, reserved bits read 0."""
        return sum(f.mask for f in reg.fields if f.access != "WO")

    def stable_mask(self, reg):
        """Readable bits the model can predict (the hardware moves the volatile ones)."""
        return self.readable_mask(reg) & ~reg.volatile_mask

    async def check_against_mirror(self, what, names=None):
        """Read registers (default: all) and compare their stable bits with the mirror."""
        for reg in self.regs.map.registers:
            if names is not None and reg.name not in names:
                continue
            mask = self.stable_mask(reg)
            expected = self.regs.mirror(reg.name) & mask
            got = await self.regs.read(reg.name)
            self.expect_mirror(f"{what}: {reg.name} (mirror, mask 0x{mask:08x}) and response",
                       [expected, 0], [got.value & mask, got.resp])
