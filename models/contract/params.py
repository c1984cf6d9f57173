"""Named RTL parameter sets (architecture.md, "Parameters") and the sizes
derived from a parameter set: V per mode, the M unit per out_mode, the PPU's
row limit, buffer words of a shape, MAC steps.

`fast` is small enough for Icarus; `paper` is the chip's configuration and is
meant for Verilator. A testbench passes only the parameters its top level has.
"""

import math

from models.numerics import out_group, vec_len

from .codes import MODES, VSQ_OUT_MODES, mode_code

PARAM_SETS = {
    "fast": {"LANES": 4, "VEC": 16, "ACC_DEPTH": 4, "A_DEPTH": 32, "B_DEPTH": 256, "OUT_DEPTH": 128},
    "paper": {"LANES": 16, "VEC": 64, "ACC_DEPTH": 16, "A_DEPTH": 128, "B_DEPTH": 2048, "OUT_DEPTH": 512},
}

# Top-level design constants beside the parameter sets (docs/overlap-design.md):
# operand banks per buffer (A, B and the g/bias table each hold BANKS copies;
# a load fills one bank while a GEMM reads another) and the entries of the
# GEMM descriptor queue (Q_CTRL.PUSH). The RTL's defaults come from here
# (rtl/vsq_defs.vh: VSQ_BANKS, VSQ_QUEUE_DEPTH).
BANKS = 2
QUEUE_DEPTH = 2


def v_of(mode, params):
    """Elements per operand vector V of a mode (name or register code) for a
    parameter set; None for an unknown code (V is undefined there)."""
    code = mode_code(mode)
    return vec_len(MODES[code], params["VEC"]) if 0 <= code < len(MODES) else None


def vo_of(out_mode, params):
    """Rows per output scale Vo of a per-vector out_mode (1 otherwise)."""
    return out_group(out_mode, params["VEC"])[0] if out_mode in VSQ_OUT_MODES else 1


def m_unit(out_mode, params):
    """The row unit M must be a multiple of: lcm(LANES, Vo) for the per-vector
    output modes, LANES otherwise."""
    return math.lcm(params["LANES"], vo_of(out_mode, params))


def ppu_rows(params):
    """Rows of the PPU's g/bias tables: the RTL default LANES * A_DEPTH (the
    largest M the A buffer holds)."""
    return params["LANES"] * params["A_DEPTH"]


def a_words(m, k, mode, params):
    """Words per A bank of an M x K operand: (M/LANES)*(K/V)."""
    return (m // params["LANES"]) * (k // v_of(mode, params))


def b_words(n, k, mode, params):
    """Words of the B buffer of a K x N operand: N*(K/V)."""
    return n * (k // v_of(mode, params))


def mac_steps(m, n, k, mode, params):
    """MAC-active cycles of one GEMM: (M/LANES)*N*(K/V); 0 for an unknown mode."""
    V = v_of(mode, params)
    return (m // params["LANES"]) * n * (k // V) if V else 0
