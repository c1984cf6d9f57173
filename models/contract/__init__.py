"""The hardware contract: every rule of the RTL that the testbenches, the
runner, the bench, the transformer harness and the RTL's generated include
(rtl/vsq_defs.vh, tools/gen_defs.py) read, written once. It knows no
simulator (no cocotb, pyuvm or tb/ imports).

- codes:  the error table, mode / out_mode codes, output keys, MAX_L
- params: the named parameter sets; V, Vo, the M unit, the PPU's rows,
          buffer words of a shape, MAC steps
- rules:  the ordered refusal rules and each block's subset
- plan:   the build parameters and chunk plan of a case (make run-case)
"""

from .codes import (DIM_MAX, ERR_BITS, ERROR_CODES, ERROR_NAMES, ERRORS, MAX_L, MODE_BITS, MODE_CODES,
                    MODE_NAMES, MODES, OUT_KEYS, OUT_MODE_BITS, OUT_MODE_CODES, OUT_MODE_NAMES, OUT_MODES,
                    VSQ_OUT_MODES, mode_code, out_mode_code)
from .params import BANKS, PARAM_SETS, QUEUE_DEPTH, a_words, b_words, m_unit, mac_steps, ppu_rows, v_of, vo_of
from .plan import Plan, PlanError, build_params, case_plan, chunks, plan
from .rules import (ENGINE_CODES, ENGINE_RULES, PPU_CODES, PPU_RULES, RULE, RULES, SOFTMAX_CODES, SOFTMAX_RULES,
                    TOP_CODES, TOP_RULES, Rule, Start, engine_code, ppu_code, refusal, softmax_code, top_code)

__all__ = [
    "DIM_MAX", "ERR_BITS", "ERROR_CODES", "ERROR_NAMES", "ERRORS", "MAX_L", "MODE_BITS", "MODE_CODES",
    "MODE_NAMES", "MODES", "OUT_KEYS", "OUT_MODE_BITS", "OUT_MODE_CODES", "OUT_MODE_NAMES", "OUT_MODES",
    "VSQ_OUT_MODES", "mode_code", "out_mode_code",
    "BANKS", "PARAM_SETS", "QUEUE_DEPTH", "a_words", "b_words", "m_unit", "mac_steps", "ppu_rows", "v_of", "vo_of",
    "Plan", "PlanError", "build_params", "case_plan", "chunks", "plan",
    "ENGINE_CODES", "ENGINE_RULES", "PPU_CODES", "PPU_RULES", "RULE", "RULES", "SOFTMAX_CODES", "SOFTMAX_RULES",
    "TOP_CODES", "TOP_RULES", "Rule", "Start", "engine_code", "ppu_code", "refusal", "softmax_code", "top_code",
]
