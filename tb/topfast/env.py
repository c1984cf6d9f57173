"""The top's environment with the fast bus agents (tb/topfast/fast_agents.py, fast_axil.py)
in place of the cocotbext-axi ones; everything else is tb/top's env."""

from tb.top.env import TopEnv
from tb.topfast.fast_agents import FastLoadAgent, FastResultAgent
from tb.topfast.fast_axil import FastAxilAgent


class TopFastEnv(TopEnv):
    axil_agent_class, load_agent_class, result_agent_class = FastAxilAgent, FastLoadAgent, FastResultAgent
