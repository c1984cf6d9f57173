"""Utilization benchmark (not a pass/fail criterion on utilization): BERT-like
int4_vsq GEMMs with preloaded buffers; writes engine_util_bench.json to the
run directory. Still a full test: every result is checked by the scoreboard.
Driven by bench/engine_utilization.py."""

import pyuvm

from tb.engine.base_test import EngineBaseTest
from tb.engine.seq_lib.util_bench_seq import EngineUtilBenchSeq


@pyuvm.test()
class EngineUtilBench(EngineBaseTest):
    seq_class = EngineUtilBenchSeq
