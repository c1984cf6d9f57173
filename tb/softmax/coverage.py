"""Softmax functional coverage (cocotb-coverage), sampled once per checked
job from the model's trace (models.softmax.softermax_trace of the observed
scores): column lengths (one block, the maximum 1024, between); running-max
increases of 0, 1-15, 16-19 and >= 20; the final sum D at its smallest
(608), saturated (2^20 - 1) and between; probabilities at 0 and at 127;
back-pressure kinds; every refusal code; a soft reset during pass 1 and
after the last beat (pass 2); length x back-pressure."""

import numpy as np
from cocotb_coverage.coverage import CoverCross, CoverPoint

from models.softmax import D_MAX, MAX_LEN, PROB_MAX
from tb.common.unit_job_coverage import UnitJobCoverage
from tb.common.valid_ready import BP_KINDS
from tb.softmax.refusal import CODE_NAMES

D_MIN = 608  # numerics.md §6: the smallest D of any column
LEN_BINS = ["one_block", "max", "between"]
INC_BINS = ["0", "1..15", "16..19", ">=20"]
D_BINS = ["608", "between", "saturated"]
P_BINS = ["0", "127"]


class Facts:
    def __init__(self, job, x, trace, params):
        self.refused = CODE_NAMES.get(job.err_code) if not job.accepted else None
        self.length = self.ready_kind = None
        self.inc, self.d, self.p = set(), set(), set()
        self.aborted = None
        if job.aborted:
            beats = job.length // params["LANES"] * job.n
            self.aborted = "after the last beat" if job.clear_after >= beats else "during pass 1"
        if not job.accepted or job.aborted:
            return
        L = job.length
        self.length = "one_block" if L == params["LANES"] else "max" if L == MAX_LEN else "between"
        self.ready_kind = job.ready_kind
        inc = np.asarray(trace["m_inc"])
        for name, hit in (("0", inc == 0), ("1..15", (inc >= 1) & (inc <= 15)),
                          ("16..19", (inc >= 16) & (inc <= 19)), (">=20", inc >= 20)):
            if hit.any():
                self.inc.add(name)
        D = np.asarray(trace["D"])
        if (D == D_MIN).any():
            self.d.add("608")
        if (D == D_MAX).any():
            self.d.add("saturated")
        if ((D > D_MIN) & (D < D_MAX)).any():
            self.d.add("between")
        p = np.asarray(trace["probs"])
        if (p == 0).any():
            self.p.add("0")
        if (p == PROB_MAX).any():
            self.p.add("127")


def _in(seen, b):
    return b in seen


@CoverPoint("softmax.length", xf=lambda f: f.length, bins=LEN_BINS)
@CoverPoint("softmax.m_inc", xf=lambda f: f.inc, bins=INC_BINS, rel=_in, inj=False)
@CoverPoint("softmax.D", xf=lambda f: f.d, bins=D_BINS, rel=_in, inj=False)
@CoverPoint("softmax.prob", xf=lambda f: f.p, bins=P_BINS, rel=_in, inj=False)
@CoverPoint("softmax.clear", xf=lambda f: f.aborted, bins=["during pass 1", "after the last beat"])
@CoverPoint("softmax.refusal", xf=lambda f: f.refused, bins=list(CODE_NAMES.values()))
@CoverPoint("softmax.backpressure", xf=lambda f: f.ready_kind, bins=list(BP_KINDS))
@CoverCross("softmax.length_x_backpressure", items=["softmax.length", "softmax.backpressure"])
def sample(facts):
    """Sampling function: the decorators do the work."""


class SoftmaxCoverage(UnitJobCoverage):
    def sample_job(self, job, x, trace):
        sample(Facts(job, x, trace, self.params))
