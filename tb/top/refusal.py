"""Which starts the top must refuse, and with which code: the union of the
engine's rules (tb.engine.refusal) and the PPU's (tb.ppu.refusal), lowest
code first, as the top checks them together before either block starts
(docs/rtl-top.md, "Error handling"). The table of docs/interfaces.md is the
reference; the model (models/) has no notion of hardware capacity."""

from tb.engine.refusal import expected_code as engine_code
from tb.ppu.refusal import expected_code as ppu_code
from tb.top.regmodel import param_values


def expected_code(m, n, k, mode, out_mode, params):
    """0 when the top must accept the start, else the lowest broken rule's code."""
    vals = param_values(params)
    codes = [c for c in (engine_code(m, n, k, mode, params), ppu_code(m, out_mode, params, vals["MAX_L"])) if c]
    return min(codes) if codes else 0
