"""PPU functional coverage (cocotb-coverage), sampled once per checked job
from the job and the model's values (models/ only): every out_mode; sh at 0,
small, mid and 31; ReLU on and off with negative pre-ReLU values; 18-bit
saturation both ways; VSQ groups that are all zero (s = 1), that saturate
the scale (s = 255), every scale 1..255 of both VSQ modes (each entry of
the reciprocal table), and every Qmax rail of every quantized mode; padded
last words; softmax column lengths; back-pressure kinds; every refusal
code; a soft reset in the middle of a job in every out_mode; out_mode x
back-pressure."""

import numpy as np
from cocotb_coverage.coverage import CoverCross, CoverPoint

from models.numerics import OUT_MODES, PPU_BITS, out_group
from models.ppu import SCALE_MAX, ppu
from models.softmax import MAX_LEN
from tb.common.stream_layout import ppu_rows, rows_per_word
from tb.common.unit_job_coverage import UnitJobCoverage
from tb.common.valid_ready import BP_KINDS
from tb.ppu.refusal import CODE_NAMES

Y_MAX, Y_MIN = (1 << (PPU_BITS - 1)) - 1, -(1 << (PPU_BITS - 1))
SH_BINS = ["0", "1..8", "9..30", "31"]
RELU_BINS = ["relu_on_neg", "relu_off_neg"]
QUANT_MODES = ("int8", "int4", "int4_vsq", "int8_vsq")
RAIL_BINS = [f"{m}:{r}" for m in QUANT_MODES for r in ("+qmax", "-qmax")]
VSQ_BINS = [f"{m}:{c}" for m in ("int4_vsq", "int8_vsq") for c in ("zero_group_s1", "s255")]
# One bin per scale value and VSQ mode: s selects the rtl/vsq_recip.v entry.
SCALE_BINS = [f"{m}:{s}" for m in ("int4_vsq", "int8_vsq") for s in range(1, SCALE_MAX + 1)]
LEN_BINS = ["one_block", "max", "between"]


def sh_bin(sh):
    return "0" if sh == 0 else "31" if sh == 31 else "1..8" if sh <= 8 else "9..30"


class Facts:
    """What one job exercised, derived from the job and the model's outputs."""

    def __init__(self, job, acc, expected, params):
        self.aborted = OUT_MODES[job.code] if job.aborted else None
        self.out_mode = OUT_MODES[job.code] if job.accepted and not job.aborted else None
        self.refused = CODE_NAMES.get(job.err_code) if not job.accepted else None
        self.sh = sh_bin(job.sh)
        self.ready_kind = job.ready_kind
        self.relu, self.sat, self.rails, self.vsq, self.pad, self.length = set(), set(), set(), set(), None, None
        self.scales = set()
        if self.out_mode in (None, "acc"):
            return
        M = job.m
        g, bias = job.g[:M], job.bias[:M]
        y = ppu(acc, g, bias, job.sh, job.relu)
        if (ppu(acc, g, bias, job.sh, False) < 0).any():
            self.relu.add("relu_on_neg" if job.relu else "relu_off_neg")
        if (y == Y_MAX).any():
            self.sat.add("pos")
        if (y == Y_MIN).any():
            self.sat.add("neg")
        mode = self.out_mode
        if mode in QUANT_MODES:
            q = expected["out_q"]
            qmax = 127 if mode in ("int8", "int8_vsq") else 7
            if (q == qmax).any():
                self.rails.add(f"{mode}:+qmax")
            if (q == -qmax).any():
                self.rails.add(f"{mode}:-qmax")
            if M % rows_per_word(mode, params):
                self.pad = mode
        if mode in ("int4_vsq", "int8_vsq"):
            vo, _ = out_group(mode, params["VEC"])
            zero = (y.reshape(M // vo, vo, -1) == 0).all(axis=1)
            if (expected["out_s"][zero] == 1).any():
                self.vsq.add(f"{mode}:zero_group_s1")
            if (expected["out_s"] == 255).any():
                self.vsq.add(f"{mode}:s255")
            self.scales = {f"{mode}:{s}" for s in np.unique(expected["out_s"])}
        if mode == "softmax":
            longest = min(MAX_LEN, ppu_rows(params))
            self.length = "one_block" if M == params["LANES"] else "max" if M == longest else "between"


def _in(seen, b):
    return b in seen


@CoverPoint("ppu.out_mode", xf=lambda f: f.out_mode, bins=list(OUT_MODES))
@CoverPoint("ppu.sh", xf=lambda f: f.sh if f.out_mode not in (None, "acc") else None,
            bins=SH_BINS)
@CoverPoint("ppu.relu_neg", xf=lambda f: f.relu, bins=RELU_BINS, rel=_in, inj=False)
@CoverPoint("ppu.sat18", xf=lambda f: f.sat, bins=["pos", "neg"], rel=_in, inj=False)
@CoverPoint("ppu.qmax_rail", xf=lambda f: f.rails, bins=RAIL_BINS, rel=_in, inj=False)
@CoverPoint("ppu.vsq_group", xf=lambda f: f.vsq, bins=VSQ_BINS, rel=_in, inj=False)
@CoverPoint("ppu.vsq_scale", xf=lambda f: f.scales, bins=SCALE_BINS, rel=_in, inj=False)
@CoverPoint("ppu.padded_word", xf=lambda f: f.pad, bins=["int8", "int4"])
@CoverPoint("ppu.softmax_len", xf=lambda f: f.length, bins=LEN_BINS)
@CoverPoint("ppu.clear_mid_gemm", xf=lambda f: f.aborted, bins=list(OUT_MODES))
@CoverPoint("ppu.refusal", xf=lambda f: f.refused, bins=list(CODE_NAMES.values()))
@CoverPoint("ppu.backpressure", xf=lambda f: f.ready_kind if f.out_mode else None,
            bins=list(BP_KINDS))
@CoverCross("ppu.out_mode_x_backpressure", items=["ppu.out_mode", "ppu.backpressure"])
def sample(facts):
    """Sampling function: the decorators do the work."""


class PpuCoverage(UnitJobCoverage):
    def sample_job(self, job, acc, expected):
        sample(Facts(job, acc, expected, self.params))
