"""Softmax environment: the unit-job env (tb/common/unit_job_env.py) with the
softmax input agent (job driver + score monitor), the PPU's output agent
(tb.common.word_stream: the same word stream), and the softmax scoreboard and coverage."""

from tb.common.agent import Agent
from tb.common.unit_job_env import UnitJobEnv
from tb.common.word_stream import WordOutAgent
from tb.softmax.coverage import SoftmaxCoverage
from tb.softmax.driver import SoftmaxDriver
from tb.softmax.monitor import ScoreInMonitor
from tb.softmax.scoreboard import SoftmaxScoreboard


class SoftmaxInAgent(Agent):
    driver_class, monitor_class = SoftmaxDriver, ScoreInMonitor


class SoftmaxEnv(UnitJobEnv):
    in_agent_class = SoftmaxInAgent
    out_agent_class = WordOutAgent
    scoreboard_class = SoftmaxScoreboard
    coverage_class = SoftmaxCoverage
