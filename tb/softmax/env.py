"""Softmax environment: the unit-job env (tb/common/unit_job_env.py) with the
softmax input agent (job driver + score monitor), the PPU's output agent
(shared: same word stream), and the softmax scoreboard and coverage."""

from tb.common.unit_job_env import UnitJobEnv
from tb.ppu.agent import WordOutAgent
from tb.softmax.agent import SoftmaxInAgent
from tb.softmax.coverage import SoftmaxCoverage
from tb.softmax.scoreboard import SoftmaxScoreboard


class SoftmaxEnv(UnitJobEnv):
    in_agent_class = SoftmaxInAgent
    out_agent_class = WordOutAgent
    scoreboard_class = SoftmaxScoreboard
    coverage_class = SoftmaxCoverage
