"""What the PPU and the softmax unit share in a job (their sequence items
subclass `UnitJob`): the stimulus knobs of the start / valid-ready beat
stream / output word stream protocol, and the outcome fields that
`UnitJobDriver` fills in and `UnitJobScoreboard` checks. Each subclass adds
its configuration and its payload (`n`, the number of columns, included)."""

from pyuvm import uvm_sequence_item


class UnitJob(uvm_sequence_item):
    """valid_kind / ready_kind: BackPressure kinds for idle gaps on the input
    valid and back-pressure on o_ready. expect_code: the refusal code the start
    must get (0 = accepted). clear_after: abort by pulsing clear after this
    many beats (None: run to done).
    Filled in by the driver: err, err_code, accepted, ready_seen (input ready
    seen high while a refused start was probed), aborted, clear_time,
    idle_after_clear, in_stalls; out_stalls by the scoreboard."""

    def __init__(self, name, *, valid_kind, ready_kind, expect_code, clear_after, timeout_cycles):
        super().__init__(name)
        self.valid_kind, self.ready_kind = valid_kind, ready_kind
        self.expect_code = int(expect_code)
        self.clear_after = clear_after
        # clear in the very cycle done is high (after every beat): a unit must
        # still read idle, done included, the cycle after
        self.clear_at_done = False
        self.timeout_cycles = int(timeout_cycles)
        self.err = self.err_code = None
        self.accepted = False
        self.ready_seen = False
        self.aborted = False
        self.clear_time = None  # sim time (ns) of the clock edge that took clear
        self.idle_after_clear = None  # busy low and valid outputs low after the clear
        self.in_stalls = 0  # input valid-and-not-ready cycles
        self.out_stalls = 0  # o_valid-and-not-o_ready cycles seen by the scoreboard
