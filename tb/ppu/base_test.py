"""Base of every PPU test: the PPU env and one sequence to run
(tb.common.base_test.UnitJobBaseTest)."""

from tb.common.base_test import UnitJobBaseTest
from tb.ppu.env import PpuEnv


class PpuBaseTest(UnitJobBaseTest):
    env_class = PpuEnv
