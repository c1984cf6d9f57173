"""Which starts the top must refuse, and with which code: every refusal rule
of models.contract, the engine's and the PPU's together, as the top checks
them before either block starts (docs/rtl-top.md, "Error handling")."""

from models.contract import top_code as expected_code  # noqa: F401 - (m, n, k, mode, out_mode, params)
