"""The contract's codes: the error table, the mode and out_mode register
encodings, the output keys of a case, and the numeric limits they refer to.

The codes below are the table of docs/interfaces.md ("Error codes"); the
mode and out_mode codes are the register encodings of docs/interfaces.md.
rtl/vsq_defs.vh is generated from this module (tools/gen_defs.py).
"""

from models.numerics import MODES, OUT_MODES
from models.softmax import MAX_LEN

# (name, code, meaning): the error table, lowest code first. When several
# rules are broken, the lowest code is reported.
ERRORS = (
    ("ZERO_DIM", 1, "M, N or K is zero"),
    ("M_MULT", 2, "M is not a multiple of LANES"),
    ("N_MULT", 3, "N is not a multiple of ACC_DEPTH"),
    ("K_MULT", 4, "K is not a multiple of V"),
    ("A_CAP", 5, "(M/LANES)*(K/V) > A_DEPTH: A does not fit its banks"),
    ("B_CAP", 6, "N*(K/V) > B_DEPTH: B does not fit its buffer"),
    ("MODE", 7, "unknown mode"),
    ("OUT_MODE", 8, "unknown out_mode"),
    ("SOFTMAX_LEN", 9, "softmax over M > MAX_L (or over the unit's capacity)"),
    ("VO_MULT", 10, "out_mode needs M to be a multiple of Vo and it is not"),
    ("PPU_ROWS", 11, "M exceeds the PPU's g/bias table"),
    ("BUSY", 12, "start while busy (ignored, counted)"),
    ("LOAD_OVERFLOW", 13, "an operand load stream was longer than its buffer"),
    ("OUT_CAP", 14, "the output does not fit the output buffer"),
    ("QUEUE_FULL", 15, "Q_CTRL.PUSH while the descriptor queue is full (ignored, counted)"),
)
ERROR_CODES = {name: code for name, code, _ in ERRORS}
ERROR_NAMES = {code: name for name, code, _ in ERRORS}
ERR_BITS = 4  # width of ERR_CODE / err_code

MODE_CODES = {m: i for i, m in enumerate(MODES)}  # 0 int8, 1 int4, 2 int4_vsq
OUT_MODE_CODES = {m: i for i, m in enumerate(OUT_MODES)}
MODE_NAMES = {i: m for m, i in MODE_CODES.items()}
OUT_MODE_NAMES = {i: m for m, i in OUT_MODE_CODES.items()}
MODE_BITS, OUT_MODE_BITS = 2, 3  # register field widths (an unknown code fits them)
VSQ_OUT_MODES = ("int4_vsq", "int8_vsq")

# Output keys of a case's outputs per out_mode (architecture.md, "Case files").
OUT_KEYS = {"acc": ("acc",), "int8": ("out_q",), "int4": ("out_q",), "int4_vsq": ("out_q", "out_s"),
            "int8_vsq": ("out_q", "out_s"), "softmax": ("probs",)}

MAX_L = MAX_LEN  # the longest softmax column (numerics.md §6): the top's MAX_L
DIM_MAX = 0xFFFF  # the M, N and K registers are 16 bits wide


def mode_code(mode):
    """A mode name or a raw register code (3 = unknown) -> the code."""
    return MODE_CODES[mode] if isinstance(mode, str) else int(mode)


def out_mode_code(out_mode):
    """An out_mode name or a raw register code (6, 7 = unknown) -> the code."""
    return OUT_MODE_CODES[out_mode] if isinstance(out_mode, str) else int(out_mode)
