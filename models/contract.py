"""The hardware contract: every rule of the RTL that the testbenches, the
runner, the bench, the transformer harness and the RTL's generated include
read. It knows no simulator (no cocotb, pyuvm or tb/ imports).

The codes below are the table of docs/interfaces.md ("Error codes"); the
mode and out_mode codes are the register encodings of docs/interfaces.md.
"""

import math

from models.numerics import MODES, OUT_MODES, out_group, vec_len

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
)
ERROR_CODES = {name: code for name, code, _ in ERRORS}
ERROR_NAMES = {code: name for name, code, _ in ERRORS}

MODE_CODES = {m: i for i, m in enumerate(MODES)}  # 0 int8, 1 int4, 2 int4_vsq
OUT_MODE_CODES = {m: i for i, m in enumerate(OUT_MODES)}
VSQ_OUT_MODES = ("int4_vsq", "int8_vsq")

# Output keys of a case's outputs per out_mode (architecture.md, "Case files").
OUT_KEYS = {"acc": ("acc",), "int8": ("out_q",), "int4": ("out_q",), "int4_vsq": ("out_q", "out_s"),
            "int8_vsq": ("out_q", "out_s"), "softmax": ("probs",)}


def v_of(mode, params):
    """Elements per operand vector V of a mode name for a parameter set."""
    return vec_len(mode, params["VEC"])


def m_unit(out_mode, params):
    """The row unit M must be a multiple of: lcm(LANES, Vo) for the per-vector
    output modes, LANES otherwise."""
    lanes = params["LANES"]
    if out_mode in VSQ_OUT_MODES:
        return math.lcm(lanes, out_group(out_mode, params["VEC"])[0])
    return lanes


def mac_steps(m, n, k, mode, params):
    """MAC-active cycles of one GEMM: (M/LANES)*N*(K/V)."""
    return (m // params["LANES"]) * n * (k // v_of(mode, params))
