"""AXI4-Stream agents on cocotbext-axi, one word per beat (byte_size = the
word width, so a frame is a list of Python-int words):

- `LoadAgent`: AxiStreamSource on s_axis_*; `await load([(dest, words), ...])`
  sends one frame per destination (TDEST = dest, TLAST on its last word) and
  returns when the last beat has been accepted; `set_idle(pattern)` inserts idle cycles (TVALID
  low) from a run pattern (`tb.common.valid_ready.BackPressure`).
- `ResultAgent`: AxiStreamSink on m_axis_*; its monitor publishes every
  complete frame (up to TLAST) on `ap` as a ResultFrame with the words and
  each word's TUSER; `set_backpressure(pattern)` drives TREADY low per the
  run pattern; `flush()` drops a partial frame (after a soft reset, which the
  sink cannot see; aresetn it handles itself).

Patterns are the shared `BackPressure` runs (level, cycles), expanded to the
per-cycle pause flags cocotbext-axi's pause generators take.
"""

import logging

from cocotb.triggers import RisingEdge, with_timeout
from cocotbext.axi import AxiStreamBus, AxiStreamFrame, AxiStreamSink, AxiStreamSource
from pyuvm import ConfigDB, uvm_analysis_port, uvm_component

from tb.common.clock_reset import CLOCK_PERIOD_NS
from tb.top.seq_item import LoadItem, ResultFrame


def pause_flags(pattern):
    """Per-cycle pause flags (True = no transfer) from runs (level, cycles)."""
    for level, cycles in pattern:
        for _ in range(max(1, int(cycles))):
            yield not level


def set_pause(endpoint, pattern):
    """Pause a cocotbext-axi source or sink per `pattern` (None: never)."""
    if pattern is None:
        endpoint.clear_pause_generator()
        endpoint.pause = False
    else:
        endpoint.set_pause_generator(pause_flags(pattern))


async def finish_load(ap, frames, wait, timeout_cycles=None):
    """Await `wait` (the last beat accepted), within `timeout_cycles` when given,
    then publish one LoadItem per frame: shared by both load agents."""
    if wait is not None:  # None: nothing was sent (every frame empty)
        await (with_timeout(wait, timeout_cycles * CLOCK_PERIOD_NS, "ns") if timeout_cycles else wait)
    for dest, words in frames:
        ap.write(LoadItem(dest, len(words)))


def _quiet(obj):
    obj.log.setLevel(logging.WARNING)
    return obj


class LoadAgent(uvm_component):
    prefix = "s_axis"

    def build_phase(self):
        self.ap = uvm_analysis_port("ap", self)

    def start_of_simulation_phase(self):
        self.dut = dut = ConfigDB().get(self, "", "dut")
        self.width = len(dut.s_axis_tdata)
        self.source = _quiet(AxiStreamSource(AxiStreamBus.from_prefix(dut, self.prefix), dut.aclk, dut.aresetn,
                                             reset_active_level=False, byte_size=self.width))

    def set_idle(self, pattern=None):
        """Idle cycles between beats from `pattern` (None: back to back)."""
        set_pause(self.source, pattern)

    async def load(self, frames, timeout_cycles=None):
        """Send load frames [(dest, words), ...] back to back; returns when the
        last beat of the last one has been accepted."""
        frames = [(int(d), [int(w) for w in words]) for d, words in frames]
        for dest, words in frames:
            await self.source.send(AxiStreamFrame(words, tdest=dest))
        await finish_load(self.ap, frames, self.source.wait(), timeout_cycles)

    def abandon(self):
        """Drop whatever is queued or in flight (after a reset cut a load short)."""
        self.source.clear()
        self.source.assert_reset()


class ResultAgent(uvm_component):
    prefix = "m_axis"

    def build_phase(self):
        self.ap = uvm_analysis_port("ap", self)
        self.frames = 0  # complete frames published

    def start_of_simulation_phase(self):
        self.dut = dut = ConfigDB().get(self, "", "dut")
        self.width = len(dut.m_axis_tdata)
        self.sink = _quiet(AxiStreamSink(AxiStreamBus.from_prefix(dut, self.prefix), dut.aclk, dut.aresetn,
                                         reset_active_level=False, byte_size=self.width))

    def set_backpressure(self, pattern=None):
        """TREADY low per `pattern` (None: always ready)."""
        set_pause(self.sink, pattern)

    def flush(self):
        """Drop a partial frame (the words before a soft reset)."""
        self.sink.assert_reset()

    async def run_phase(self):
        while True:
            frame = await self.sink.recv(compact=False)
            t0, t1 = frame.sim_time_start or 0, frame.sim_time_end or 0
            self.frames += 1
            self.ap.write(ResultFrame(list(frame.tdata), list(frame.tuser), t_start=t0, t_end=t1))


class IrqMonitor(uvm_component):
    """The irq pin: `await wait_high(timeout_cycles)`; counts rising edges."""

    def build_phase(self):
        self.rises = 0

    def start_of_simulation_phase(self):
        self.dut = ConfigDB().get(self, "", "dut")

    async def run_phase(self):
        while True:
            await RisingEdge(self.dut.irq)
            self.rises += 1

    def high(self):
        v = self.dut.irq.value
        return v.is_resolvable and int(v) == 1

    async def wait_high(self, timeout_cycles):
        if self.high():
            return
        await with_timeout(RisingEdge(self.dut.irq), timeout_cycles * CLOCK_PERIOD_NS, "ns")
