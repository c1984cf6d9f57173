"""The largest GEMMs that fit: both buffers exactly full, for K/V = 1, K/V = max
(every mode) and one K/V in between."""

import pyuvm

from tb.engine.base_test import EngineBaseTest
from tb.engine.seq_lib.max_fit_seq import EngineMaxFitSeq


@pyuvm.test()
class EngineMaxFitTest(EngineBaseTest):
    seq_class = EngineMaxFitSeq
