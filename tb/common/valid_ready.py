"""Generic pieces for a valid/ready stream that the DUT drives (the DUT is the
source, the bench the sink): a back-pressure pattern, a driver that plays it
on the ready pin, and a monitor that publishes one transaction per handshake.

- `BackPressure(rng, kind, ...)`: an endless iterable of runs `(level, cycles)`
  for the ready pin, drawn from the job's numpy generator. Kinds:
  `none` (always ready), `random` (short random low runs, about `p_low` of the
  cycles low), `storm` (long low runs, up to `max_low` cycles, between short
  ready bursts). Plain iterables (e.g. `itertools.cycle([(1, 2), (0, 1)])`)
  work as patterns too.
- `ReadyDriver`: plays a pattern on the ready pin; `set_pattern()` switches
  at the next rising edge. Python wakes once per run, not once per cycle.
- `ValidReadyMonitor`: samples at ReadOnly after each rising edge while valid
  is high (waits on the valid edge while it is low, so an idle stream costs
  nothing); every handshake (valid and ready high in the same cycle) calls
  the subclass's `sample()` and writes `(payload, stalls, time_ns)` to `ap`,
  `stalls` being the valid-and-not-ready cycles since the previous handshake.

Bind the pins in the subclass's or agent's `build_phase` by setting
`clk_name`, `valid_name` and `ready_name` (names on `cocotb.top`).
"""

import cocotb
import numpy as np
from cocotb.triggers import ClockCycles, ReadOnly, RisingEdge
from cocotb.utils import get_sim_time
from pyuvm import ConfigDB, uvm_analysis_port, uvm_component

BP_KINDS = ("none", "random", "storm")


class BackPressure:
    def __init__(self, rng, kind="none", p_low=0.3, max_low=64, max_high=6):
        if kind not in BP_KINDS:
            raise ValueError(f"back-pressure kind must be one of {BP_KINDS}, got {kind!r}")
        self.rng, self.kind = rng, kind
        self.p_low, self.max_low, self.max_high = p_low, max_low, max_high
        self.pair = (1, int(kind == "none"))  # the levels of a high/low pair of runs ("none": high all the time)

    def _run(self, level):
        """The length of the next run at `level` (1 high, 0 low)."""
        if self.kind == "none":
            return 1 << 12
        if self.kind == "random":  # geometric run lengths with about p_low of the cycles low
            return int(self.rng.geometric(self.p_low if level else 1.0 - self.p_low))
        return int(self.rng.integers(1, (self.max_high if level else self.max_low) + 1))  # storm

    def __iter__(self):
        while True:
            for level in self.pair:
                yield level, self._run(level)

    def runs(self, n):
        """The next n runs at once, as arrays (levels, cycles), drawn as iterating
        draws them (a player inside the simulator pulls its runs in chunks,
        tb/topfast); n even (a chunk ends where a high/low pair does)."""
        levels = np.tile(np.array(self.pair, np.uint8), n // 2)
        return levels, np.array([self._run(lv) for lv in levels], np.uint32)

    def __repr__(self):
        return f"BackPressure({self.kind})"


class ReadyDriver(uvm_component):
    clk_name = "clk"
    ready_name = None

    def build_phase(self):
        self._task = None

    def start_of_simulation_phase(self):
        self.dut = ConfigDB().get(self, "", "dut")

    def set_pattern(self, pattern):
        """Play `pattern` (an iterable of (level, cycles)) from the next rising
        edge on, dropping the rest of the current one. Callable from any phase."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = cocotb.start_soon(self._play(iter(pattern)))

    async def _play(self, runs):
        clk = getattr(self.dut, self.clk_name)
        ready = getattr(self.dut, self.ready_name)
        await RisingEdge(clk)
        for level, cycles in runs:
            ready.value = int(level)
            await ClockCycles(clk, max(1, int(cycles)))

    async def run_phase(self):
        getattr(self.dut, self.ready_name).value = 1
        if self._task is None:
            self.set_pattern(BackPressure(None, "none"))


class ValidReadyMonitor(uvm_component):
    clk_name = "clk"
    valid_name = None
    ready_name = None
    reset_name = "rst_n"  # active low; handshakes during reset are ignored

    def build_phase(self):
        self.ap = uvm_analysis_port("ap", self)

    def start_of_simulation_phase(self):
        self.dut = ConfigDB().get(self, "", "dut")

    def sample(self):
        """The payload of the handshake in the current cycle (called in ReadOnly)."""
        raise NotImplementedError

    async def run_phase(self):
        dut = self.dut
        clk = getattr(dut, self.clk_name)
        valid = getattr(dut, self.valid_name)
        ready = getattr(dut, self.ready_name)
        rst_n = getattr(dut, self.reset_name)
        stalls = 0
        await RisingEdge(clk)
        await ReadOnly()
        while True:
            if not valid.value:
                await RisingEdge(valid)
                await ReadOnly()
                continue
            if rst_n.value:
                if ready.value:
                    self.ap.write((self.sample(), stalls, get_sim_time("ns")))
                    stalls = 0
                else:
                    stalls += 1
            await RisingEdge(clk)
            await ReadOnly()
