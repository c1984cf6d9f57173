"""Transactions of the top's bench.

- `RegAccess`: one AXI4-Lite access as the agent saw it (for the coverage and
  the host monitor).
- `LoadItem`: one operand-load frame (TDEST, number of words).
- `ResultFrame`: one result-stream frame (words and TUSER per beat, up to TLAST).
- `GemmRequest`: one start through the registers as the sequence asked for
  it: the configuration, the case (None for a start meant to be refused),
  the result back-pressure, and what the host did to it (the reset that cut
  it short). Whether it must be refused, and with which code, the scoreboard
  works out from the configuration (tb.top.refusal). A sequence publishes it when the host
  is done with the job.
- `GemmObservation`: what the host monitor saw of that start on the bus and
  the irq pin: the status read back at its end, the cycle counters, the
  starts written while it was busy (or, for a queued descriptor, only that it was pushed).
- `CaseOutputs`: a case's outputs as a sequence put them together from
  several GEMMs (a case split into chunks), for the scoreboard to compare
  with the model on the whole case.
- `SeqCheck`: a comparison a sequence makes itself (a register it read back
  against the value it must have), compared and counted by the scoreboard.
"""

from dataclasses import dataclass

from models.contract import MODE_CODES, OUT_MODE_CODES

MODE_NAMES = {c: m for m, c in MODE_CODES.items()}
OUT_MODE_NAMES = {c: m for m, c in OUT_MODE_CODES.items()}
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
class GemmRequest:
    m: int
    n: int
    k: int
    mode: int  # code (3 = illegal)
    out_mode: int  # code (6, 7 = illegal)
    sh: int = 0
    relu: bool = False
    case: dict = None  # None for a start meant to be refused
    tag: str = ""
    backpressure: str = "none"  # result-stream pattern while it ran
    cut_short: str = None  # None, or the reset that cut it short ("soft", "hard")
    reset_phase: str = None  # where that reset hit: "computing", "draining"
    # the soft reset hit while the frame's last word was held: that word still
    # goes out (AXI4-Stream), so the frame is complete and checked whole
    held_last: bool = False
    queue_full: bool = False  # pushed while the descriptor queue was full: refused (QUEUE_FULL)

    @classmethod
    def for_case(cls, case, tag=""):
        """The request that runs a case dict (models.casegen / models.case)."""
        M, K = case["a_q"].shape
        return cls(m=M, n=case["b_q"].shape[1], k=K, mode=MODE_CODES[case["mode"]],
                   out_mode=OUT_MODE_CODES[case["out_mode"]], sh=case["sh"], relu=case["relu"], case=case, tag=tag)

    @property
    def mode_name(self):
        return MODE_NAMES.get(self.mode, f"mode{self.mode}")

    @property
    def out_mode_name(self):
        return OUT_MODE_NAMES.get(self.out_mode, f"out_mode{self.out_mode}")

    def __str__(self):
        return f"GEMM[{self.tag}] M={self.m} N={self.n} K={self.k} {self.mode_name}->{self.out_mode_name}"


@dataclass
class GemmObservation:
    status_known: bool = False  # a STATUS read with BUSY low ended it (a reset may clear it first)
    done: bool = False  # that read's DONE, ERROR and ERR_CODE
    error: bool = False
    err_code: int = 0
    irq: bool = False  # irq high during one of its accesses after the start
    cyc_total: int = 0  # CYC_TOTAL and CYC_MAC read after that
    cyc_mac: int = 0
    busy_starts: int = 0  # START writes after a STATUS read showed it busy
    queued: bool = False  # a Q_CTRL.PUSH, not a START: its status is not its own (the queue's next
    # GEMM follows at once), so the sequence checks DONE_COUNT / ERR_COUNT over the chain instead

    @property
    def accepted(self):
        return self.done


@dataclass
class CaseOutputs:
    what: str
    case: dict
    outputs: dict  # {output key: int64 array of the case's shape}


@dataclass
class SeqCheck:
    what: str
    expected: object
    observed: object
