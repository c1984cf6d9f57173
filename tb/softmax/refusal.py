"""Which starts the softmax unit must refuse, and with which code: the error
table of docs/interfaces.md restricted to what the unit sees (the column
length L), lowest code first."""

from models.softmax import MAX_LEN

ZERO_DIM, M_MULT, SOFTMAX_LEN = 1, 2, 9
CODE_NAMES = {ZERO_DIM: "ZERO_DIM", M_MULT: "M_MULT", SOFTMAX_LEN: "SOFTMAX_LEN"}


def expected_code(length, params, max_l=MAX_LEN):
    """0 when the unit must accept a start with cfg_len = length, else the code."""
    if length == 0:
        return ZERO_DIM
    if length % params["LANES"]:
        return M_MULT
    if length > max_l:
        return SOFTMAX_LEN
    return 0
