"""Generic source side of a valid/ready stream (the bench drives the DUT's
input): the counterpart of `valid_ready.py`, whose pieces cover the DUT as
the source.

`ValidReadySource(dut, valid=..., ready=..., clk=...)`:
- `await send_all(beats, pattern)` offers the beats in order; each beat is a
  dict {pin name: int value}. `pattern` is an iterable of runs
  `(level, cycles)`, e.g. a `BackPressure` from `valid_ready.py` reused as an
  idle-gap generator: a high run offers up to `cycles` beats back to back, a
  low run holds valid low for `cycles` cycles. None = no gaps.
- `await send(beat)` offers one beat and returns after its handshake.
A beat is accepted at the rising edge where valid and ready are both high;
ready is sampled in ReadOnly just before that edge, so the DUT's ready may
depend combinationally on its state (not on valid: AXI rule).
Returns the number of stall cycles (valid high, ready low) seen.
Python wakes twice per cycle while a beat is offered and once per low run.
"""

from cocotb.triggers import ClockCycles, ReadOnly, RisingEdge


class ValidReadySource:
    def __init__(self, dut, valid, ready, clk="clk"):
        self.dut = dut
        self.clk = getattr(dut, clk)
        self.valid = getattr(dut, valid)
        self.ready = getattr(dut, ready)
        self.stalls = 0

    def idle(self):
        self.valid.value = 0

    async def send(self, beat):
        """Offer one beat (from just after a rising edge) until it is taken."""
        dut = self.dut
        for name, value in beat.items():
            getattr(dut, name).value = value
        self.valid.value = 1
        while True:
            await ReadOnly()
            taken = bool(self.ready.value)
            await RisingEdge(self.clk)
            if taken:
                return
            self.stalls += 1

    async def send_all(self, beats, pattern=None):
        """Offer `beats` in order with the idle gaps of `pattern`; valid low at the end."""
        beats = list(beats)
        runs = iter(pattern) if pattern is not None else None
        i = 0
        while i < len(beats):
            if runs is None:
                level, cycles = 1, len(beats)
            else:
                level, cycles = next(runs)
            cycles = max(1, int(cycles))
            if not level:
                self.valid.value = 0
                await ClockCycles(self.clk, cycles)
                continue
            for _ in range(min(cycles, len(beats) - i)):
                await self.send(beats[i])
                i += 1
        self.valid.value = 0
        return self.stalls
