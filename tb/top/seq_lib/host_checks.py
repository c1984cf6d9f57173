"""The checks a top sequence makes itself, all of them here: values the
host reads back that only the sequence can tell the meaning of (a load
count against the words it sent, a counter's increment over its own
action, registers after a reset). Each one is a SeqCheck on the virtual
sequencer's `check_ap`; the scoreboard compares and counts it. Expected
results of GEMMs never come from here: the scoreboard computes those from
the requests (models/)."""

from tb.top.seq_item import SeqCheck

LOAD_COUNTERS = ("LOAD_A", "LOAD_B", "LOAD_T")  # per TDEST 0, 1, 2
OKAY, SLVERR = 0, 2  # AXI responses


class HostChecks:
    """Mixed into TopBaseSeq (uses its `sequencer`, `regs` and `dut`)."""

    def _expect(self, what, expected, observed):
        self.sequencer.check_ap.write(SeqCheck(what, expected, observed))

    async def expect_load_counts(self, what, frames):
        """LOAD_x after a load: the number of words sent to TDEST x."""
        for dest, words in frames:
            name = LOAD_COUNTERS[dest]
            self._expect(f"{what} {name}", len(words), int(await self.regs.read(name)))

    async def expect_err_count_increment(self, what, before, increment):
        """ERR_COUNT has moved by `increment` since it read `before`."""
        self._expect(f"{what} ERR_COUNT increment", increment, (await self.regs.read("ERR_COUNT")).value - before)

    def expect_status(self, what, fields, expected, status):
        """The named STATUS fields of a STATUS read (e.g. an error code)."""
        self._expect(f"{what}: STATUS ({', '.join(fields)})", expected, [getattr(status, f) for f in fields])

    async def expect_registers(self, what, expected):
        """Read the registers named in `expected` ({name: value}) and compare,
        responses included (every mapped read answers OKAY)."""
        got = {name: await self.regs.read(name) for name in expected}
        names = list(expected)
        self._expect(f"{what}: registers {names}", [expected[n] for n in names], [got[n].value for n in names])
        self._expect(f"{what}: read responses", [OKAY] * len(names), [got[n].resp for n in names])
        return got

    def expect_idle_pins(self, what):
        """irq low, s_axis ready, m_axis idle."""
        dut = self.dut
        self._expect(f"{what}: (irq, s_axis_tready, m_axis_tvalid)", [0, 1, 0],
                     [int(dut.irq.value), int(dut.s_axis_tready.value), int(dut.m_axis_tvalid.value)])

    async def expect_reset_values(self, what):
        """Every register at its reset value (rdl/vsq_top.rdl), idle pins."""
        await self.expect_registers(what, {r.name: self.regs.reset_value(r.name) for r in self.regs.map.registers})
        self.expect_idle_pins(what)

    def expect_response(self, what, expected, resp):
        """The AXI response of an access (OKAY, SLVERR)."""
        self._expect(f"{what} response", expected, resp)

    def expect_read(self, what, expected, value):
        """A register's read value."""
        self._expect(what, expected, value)

    def expect_stream(self, what, expected, observed):
        """The result stream's pins as the sequence saw them around its own
        action (a word held across a soft reset)."""
        self._expect(what, expected, observed)

    def expect_irq(self, what, level):
        self._expect(f"irq {what}", level, int(self.dut.irq.value))

    def expect_mirror(self, what, expected, observed):
        """A register access against the register model's prediction (its
        mirror, reset value or documented bus answer): the register sequences."""
        self._expect(what, expected, observed)

    def expect_same(self, what, expected, observed):
        """Two things the sequence has that must agree (e.g. the RTL's P and
        the B operand a case file was written with)."""
        self._expect(what, expected, observed)
