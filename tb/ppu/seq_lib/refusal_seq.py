"""Illegal starts, each followed by a legal job (the next legal start must
work): M = 0, M not a multiple of LANES, unknown out_mode codes 6 and 7,
softmax over more than 1024 rows, a VSQ out_mode with M not a multiple of
Vo, M over the PPU's tables, and combinations (the lowest code wins)."""

from models.contract import out_mode_code
from models.numerics import out_group
from models.softmax import MAX_LEN
from tb.ppu.refusal import expected_code
from tb.ppu.seq_item import PpuJob
from tb.ppu.seq_lib.base_seq import PpuBaseSeq


class PpuRefusalSeq(PpuBaseSeq):
    def illegal(self):
        L, rows = self.lanes, self.rows
        yield 0, "int8"
        yield L + 1, "int4"
        yield 2 * L, 6
        yield L, 7
        yield MAX_LEN + L, "softmax"
        for mode in ("int4_vsq", "int8_vsq"):
            vo, _ = out_group(mode, self.vec)
            if vo > L:
                yield L, mode
        yield rows + L, "int8"
        yield rows + 1, 7          # M_MULT and OUT_MODE and PPU_ROWS: M_MULT
        yield rows + L, "softmax"  # PPU_ROWS, and SOFTMAX_LEN when rows >= 1024

    def jobs(self):
        for m, out_mode in self.illegal():
            code = out_mode_code(out_mode)
            yield PpuJob(out_mode=out_mode, m=m, expect_code=expected_code(m, code, self.params))
            yield self.random_job()
