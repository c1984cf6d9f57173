"""Which starts the PPU must refuse, and with which code: the PPU's subset of
the refusal rules of models.contract (it sees M and out_mode only; codes 1,
2, 8..11, lowest first; docs/rtl-ppu.md)."""

from models.contract import ERROR_NAMES, PPU_CODES
from models.contract import ppu_code as expected_code  # noqa: F401 - (m, out_code, params, max_l)

CODE_NAMES = {c: ERROR_NAMES[c] for c in PPU_CODES}
