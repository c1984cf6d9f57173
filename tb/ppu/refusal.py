"""Which starts the PPU must refuse, and with which code: the error table of
docs/interfaces.md restricted to the codes the PPU can detect (it sees M and
out_mode only), lowest code first. The table is the reference; the model
(models/) has no notion of hardware capacity. Rules: docs/rtl-ppu.md."""

from models.numerics import OUT_MODES, out_group
from models.softmax import MAX_LEN
from tb.common.stream_layout import ppu_rows

ZERO_DIM, M_MULT, OUT_MODE, SOFTMAX_LEN, VO_MULT, PPU_ROWS = 1, 2, 8, 9, 10, 11
PPU_CODES = (ZERO_DIM, M_MULT, OUT_MODE, SOFTMAX_LEN, VO_MULT, PPU_ROWS)
CODE_NAMES = {ZERO_DIM: "ZERO_DIM", M_MULT: "M_MULT", OUT_MODE: "OUT_MODE", SOFTMAX_LEN: "SOFTMAX_LEN",
              VO_MULT: "VO_MULT", PPU_ROWS: "PPU_ROWS"}


def expected_code(m, out_code, params, max_l=MAX_LEN):
    """0 when the PPU must accept the start, else the lowest broken rule's code."""
    if m == 0:
        return ZERO_DIM
    if m % params["LANES"]:
        return M_MULT
    if out_code >= len(OUT_MODES):
        return OUT_MODE
    out_mode = OUT_MODES[out_code]
    if out_mode == "softmax" and m > max_l:
        return SOFTMAX_LEN
    if out_mode in ("int4_vsq", "int8_vsq") and m % out_group(out_mode, params["VEC"])[0]:
        return VO_MULT
    if m > ppu_rows(params):
        return PPU_ROWS
    return 0
