"""Which starts the engine must refuse, and with which code: the engine's
subset of the refusal rules of models.contract (codes 1..7, lowest first;
for the unknown mode 3 the rules that need V are not evaluated,
docs/rtl-engine.md "Start check"). The names below are the bench's
shorthand for the contract's codes."""

from models.contract import ENGINE_CODES, ERROR_CODES, ERROR_NAMES
from models.contract import engine_code as expected_code  # noqa: F401 - (m, n, k, mode, params)

ZERO_DIM, M_MULT, N_MULT, K_MULT, A_CAP, B_CAP, MODE = (ERROR_CODES[n] for n in (
    "ZERO_DIM", "M_MULT", "N_MULT", "K_MULT", "A_CAP", "B_CAP", "MODE"))
CODE_NAMES = {c: ERROR_NAMES[c] for c in ENGINE_CODES}
