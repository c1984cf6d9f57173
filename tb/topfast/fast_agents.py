"""The stream agents of the fast path: the public API of tb/top/stream_agents'
LoadAgent and ResultAgent (load / set_idle / abandon; ap, frames,
set_backpressure, flush), with the beats played and recorded inside the
model (hdl/fast_stream.cpp through fast_lib). Python wakes once per frame:
the load waits for the model's done count to reach its last frame, the
result monitor wakes when the model's frame count changes and reads the new
frames in bulk. Same patterns (the sequences' BackPressure runs, drawn in
chunks as the model needs them), same transactions on the analysis ports."""

from cocotb.utils import get_sim_steps
from pyuvm import ConfigDB, uvm_analysis_port, uvm_component

from tb.top.seq_item import ResultFrame
from tb.top.stream_agents import finish_load
from tb.topfast.fast_lib import FastStreamLib

LOAD, RESULT = 0, 1  # the model's pattern slots


class FastLoadAgent(uvm_component):
    def build_phase(self):
        self.ap = uvm_analysis_port("ap", self)

    def start_of_simulation_phase(self):
        self.dut = ConfigDB().get(self, "", "dut")
        self.lib = FastStreamLib.get()

    def set_idle(self, pattern=None):
        """Idle cycles between beats from `pattern` (None: back to back)."""
        self.lib.set_pattern(LOAD, pattern)

    async def _sent(self, target):
        done = self.dut.fast_src_done
        while int(done.value) - target < 0:
            await done.value_change

    async def load(self, frames, timeout_cycles=None):
        """Send load frames [(dest, words), ...] back to back; returns when the
        last beat of the last one has been accepted."""
        frames = [(int(d), words) for d, words in frames]
        target = None
        for dest, words in frames:
            if len(words):
                target = self.lib.push_frame(dest, words)
        await finish_load(self.ap, frames, self._sent(target) if target is not None else None, timeout_cycles)

    def abandon(self):
        """Drop whatever is queued (after a reset cut a load short)."""
        self.lib.clear_load()


class FastResultAgent(uvm_component):
    def build_phase(self):
        self.ap = uvm_analysis_port("ap", self)
        self.frames = 0  # complete frames published

    def start_of_simulation_phase(self):
        self.dut = ConfigDB().get(self, "", "dut")
        self.lib = FastStreamLib.get()

    def set_backpressure(self, pattern=None):
        """TREADY low per `pattern` (None: always ready)."""
        self.lib.set_pattern(RESULT, pattern)

    def flush(self):
        """Drop a partial frame (the words before a soft reset)."""
        self.lib.flush_partial()

    @property
    def active(self):
        """A frame is being received (as cocotbext-axi's sink.active)."""
        return self.lib.partial() > 0

    async def run_phase(self):
        count = self.dut.fast_cap_frames
        while True:
            await count.value_change
            for words, tuser, t0, t1 in self.lib.frames():
                self.frames += 1
                self.ap.write(ResultFrame(words, tuser, t_start=get_sim_steps(t0, "ns"),
                                          t_end=get_sim_steps(t1, "ns")))
