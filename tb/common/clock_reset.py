"""Clock and synchronous active-low reset, shared by every bench."""

from cocotb.clock import Clock
from cocotb.triggers import ClockCycles, RisingEdge
from cocotb.utils import get_time_from_sim_steps

CLOCK_PERIOD_NS = 10


def steps_to_cycles(steps):
    """Simulator steps (e.g. a frame's sim_time_start) -> clock cycles."""
    return round(get_time_from_sim_steps(steps, "ns") / CLOCK_PERIOD_NS)


def start_clock(clk):
    Clock(clk, CLOCK_PERIOD_NS, unit="ns").start()


async def reset(clk, rst_n, cycles=3):
    """Hold rst_n low for `cycles` rising edges, then release it."""
    rst_n.value = 0
    await ClockCycles(clk, cycles)
    rst_n.value = 1
    await RisingEdge(clk)
