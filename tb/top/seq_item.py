"""Transactions of the top's bench.

- `RegAccess`: one AXI4-Lite access as the agent saw it (published for coverage).
- `LoadItem`: one operand-load frame (TDEST, number of words).
- `ResultFrame`: one result-stream frame (words and TUSER per beat, up to TLAST).
- `GemmJob`: one start through the registers, with what the sequence knows
  before (the case, the expected refusal code) and observes after (status,
  counters, back-pressure, whether a reset cut it short). The scoreboard
  checks it; coverage samples it.
"""

from dataclasses import dataclass, field

from models.contract import MODE_CODES as MODE_CODE, OUT_MODE_CODES as OUT_MODE_CODE  # noqa: F401 - the bench's names
from models.numerics import MODES, OUT_MODES

DEST = {"A": 0, "B": 1, "T": 2, "R": 3}  # TDEST values (docs/rtl-top.md)


@dataclass
class RegAccess:
    kind: str  # "read" / "write"
    addr: int
    data: int
    resp: int
    name: str = None  # register name, None when unmapped
    strb: int = 0xF


@dataclass
class LoadItem:
    dest: int
    words: int


@dataclass
class ResultFrame:
    words: list
    tuser: list
    t_start: float = 0.0  # sim time of the first and last beat (steps)
    t_end: float = 0.0


@dataclass
class GemmJob:
    m: int
    n: int
    k: int
    mode: int  # code (3 = illegal)
    out_mode: int  # code (6, 7 = illegal)
    sh: int = 0
    relu: bool = False
    case: dict = None  # None for a start that must be refused
    expect_code: int = 0  # 0: must be accepted
    tag: str = ""
    # observed
    accepted: bool = False
    done: bool = False
    error: bool = False
    err_code: int = 0
    irq: bool = False
    cyc_total: int = 0
    cyc_mac: int = 0
    backpressure: str = "none"
    aborted: str = None  # None, or the reset that cut it short ("soft", "hard")
    reset_phase: str = None  # where that reset hit: "computing", "draining"
    status_known: bool = True  # False: a reset cleared the status before it was read
    busy_starts: int = 0  # starts written while this job was busy
    checks: dict = field(default_factory=dict)  # {what: (expected, observed)} the scoreboard compares

    @property
    def mode_name(self):
        return MODES[self.mode] if self.mode < len(MODES) else f"mode{self.mode}"

    @property
    def out_mode_name(self):
        return OUT_MODES[self.out_mode] if self.out_mode < len(OUT_MODES) else f"out_mode{self.out_mode}"

    def __str__(self):
        s = f"GEMM[{self.tag}] M={self.m} N={self.n} K={self.k} {self.mode_name}->{self.out_mode_name}"
        if self.expect_code:
            s += f" (expect code {self.expect_code})"
        return s
