"""top_speed_bench (same sequence, seed handling, GEMM count, scoreboard,
coverage and measurement: tb/top/tests/top_speed_bench.py) on the fast
stream path (tb/topfast/README.md). Verilator only; driven by
bench/native_speed.py next to the cocotbext-axi flow:
`python -m tb.sim --test top_fast_speed_bench --sim verilator --params paper --seed 1`.
Writes <out_dir>/top_speed_bench.json (the same keys)."""

import pyuvm

from tb.top.tests.top_speed_bench import TopSpeedBench
from tb.topfast.env import TopFastEnv


@pyuvm.test()
class TopFastSpeedBench(TopSpeedBench):
    env_class = TopFastEnv
