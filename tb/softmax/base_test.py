"""Base of every softmax test: the softmax env and one sequence to run
(tb.common.base_test.UnitJobBaseTest)."""

from tb.common.base_test import UnitJobBaseTest
from tb.softmax.env import SoftmaxEnv


class SoftmaxBaseTest(UnitJobBaseTest):
    env_class = SoftmaxEnv
