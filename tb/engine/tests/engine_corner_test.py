"""Corner data in every mode over the longest accumulation: all -8 / all 7,
the most negative product, scales 0 and 255, rails, saturation both ways."""

import pyuvm

from tb.engine.base_test import EngineBaseTest
from tb.engine.seq_lib.corner_seq import EngineCornerSeq


@pyuvm.test()
class EngineCornerTest(EngineBaseTest):
    seq_class = EngineCornerSeq
