"""The refusal rules of a start, in the order the RTL evaluates them; the
engine's, the PPU's, the softmax unit's and the top's checks are subsets.

The reported code is the first broken rule in RULES order. That is the
lowest broken code of the error table, with one exception the order encodes:
for an unknown mode V is undefined, so the rules that need V (K_MULT, A_CAP,
B_CAP) are not evaluated and MODE (7) is reported after ZERO_DIM, M_MULT and
N_MULT (docs/rtl-engine.md, "Start check"). A block checks only the fields
it sees (None = not seen): the PPU sees M and out_mode, the softmax unit
only its column length.
"""

from dataclasses import dataclass
from typing import Callable

from .codes import ERROR_CODES, MAX_L, MODES, OUT_MODE_CODES, OUT_MODES, VSQ_OUT_MODES, mode_code, out_mode_code
from .params import a_words, b_words, ppu_rows, v_of, vo_of


@dataclass(frozen=True)
class Start:
    """A start's configuration as the registers hold it (codes, not names)."""
    m: int
    n: int = None
    k: int = None
    mode: int = None
    out_mode: int = None


@dataclass(frozen=True)
class Rule:
    name: str                # the error table's name (ERRORS)
    broken: Callable         # (Start, params, max_l) -> bool

    @property
    def code(self):
        return ERROR_CODES[self.name]


def _out(s):
    return OUT_MODES[s.out_mode] if s.out_mode is not None and 0 <= s.out_mode < len(OUT_MODES) else None


RULES = (
    Rule("ZERO_DIM", lambda s, p, L: any(x == 0 for x in (s.m, s.n, s.k) if x is not None)),
    Rule("M_MULT", lambda s, p, L: s.m % p["LANES"] != 0),
    Rule("N_MULT", lambda s, p, L: s.n % p["ACC_DEPTH"] != 0),
    Rule("MODE", lambda s, p, L: not 0 <= s.mode < len(MODES)),
    Rule("K_MULT", lambda s, p, L: s.k % v_of(s.mode, p) != 0),
    Rule("A_CAP", lambda s, p, L: a_words(s.m, s.k, s.mode, p) > p["A_DEPTH"]),
    Rule("B_CAP", lambda s, p, L: b_words(s.n, s.k, s.mode, p) > p["B_DEPTH"]),
    Rule("OUT_MODE", lambda s, p, L: _out(s) is None),
    Rule("SOFTMAX_LEN", lambda s, p, L: _out(s) == "softmax" and s.m > L),
    Rule("VO_MULT", lambda s, p, L: _out(s) in VSQ_OUT_MODES and s.m % vo_of(_out(s), p) != 0),
    Rule("PPU_ROWS", lambda s, p, L: s.m > ppu_rows(p)),
)
RULE = {r.name: r for r in RULES}


def _subset(*names):
    return tuple(r for r in RULES if r.name in names)


# What each block checks at its start (the top checks them all before either
# block starts, docs/rtl-top.md "Error handling").
ENGINE_RULES = _subset("ZERO_DIM", "M_MULT", "N_MULT", "MODE", "K_MULT", "A_CAP", "B_CAP")
PPU_RULES = _subset("ZERO_DIM", "M_MULT", "OUT_MODE", "SOFTMAX_LEN", "VO_MULT", "PPU_ROWS")
SOFTMAX_RULES = _subset("ZERO_DIM", "M_MULT", "SOFTMAX_LEN")
TOP_RULES = RULES
# The codes each block can report, lowest first.
ENGINE_CODES, PPU_CODES, SOFTMAX_CODES, TOP_CODES = (tuple(sorted(r.code for r in rules)) for rules in
                                                     (ENGINE_RULES, PPU_RULES, SOFTMAX_RULES, TOP_RULES))


def refusal(start, params, rules=TOP_RULES, max_l=MAX_L):
    """0 when `rules` accept the Start, else the first broken rule's code."""
    for rule in rules:
        if rule.broken(start, params, max_l):
            return rule.code
    return 0


def engine_code(m, n, k, mode, params):
    """The engine's start check (mode: code or name)."""
    return refusal(Start(m, n, k, mode_code(mode)), params, ENGINE_RULES)


def ppu_code(m, out_mode, params, max_l=MAX_L):
    """The PPU's start check (out_mode: code or name)."""
    return refusal(Start(m, out_mode=out_mode_code(out_mode)), params, PPU_RULES, max_l)


def softmax_code(length, params, max_l=MAX_L):
    """The softmax unit's start check on its column length."""
    return refusal(Start(length, out_mode=OUT_MODE_CODES["softmax"]), params, SOFTMAX_RULES, max_l)


def top_code(m, n, k, mode, out_mode, params, max_l=MAX_L):
    """The top's start check: every rule, engine's and PPU's together."""
    return refusal(Start(m, n, k, mode_code(mode), out_mode_code(out_mode)), params, TOP_RULES, max_l)
