"""PPU environment: the unit-job env (tb/common/unit_job_env.py) with the PPU's
input agent (job driver + tile monitor), output agent, scoreboard and coverage."""

from tb.common.unit_job_env import UnitJobEnv
from tb.common.word_stream import WordOutAgent
from tb.ppu.agent import PpuInAgent
from tb.ppu.coverage import PpuCoverage
from tb.ppu.scoreboard import PpuScoreboard


class PpuEnv(UnitJobEnv):
    in_agent_class = PpuInAgent
    out_agent_class = WordOutAgent
    scoreboard_class = PpuScoreboard
    coverage_class = PpuCoverage
