"""Which starts the softmax unit must refuse, and with which code: the
unit's subset of the refusal rules of models.contract (it sees the column
length L only; codes 1, 2, 9)."""

from models.contract import ERROR_NAMES, SOFTMAX_CODES
from models.contract import softmax_code as expected_code  # noqa: F401 - (length, params, max_l)

CODE_NAMES = {c: ERROR_NAMES[c] for c in SOFTMAX_CODES}
