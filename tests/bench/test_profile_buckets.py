"""tools/native/profile.buckets: own time by the testbench's job, the time of
built-ins and the standard library given to their callers' buckets in
proportion to what each caller spent in them (no timing here)."""

from types import SimpleNamespace

from tools.native.profile import buckets

AXIS = ("/v/site-packages/cocotbext/axi/axis.py", 10, "_run")
REG = ("/r/tb/top/regmodel.py", 5, "write")
SCHED = ("/v/site-packages/cocotb/task.py", 1, "_resume")
SETV = ("~", 0, "<method 'set' of 'handle' objects>")  # a built-in called by two buckets
STD = ("/py/lib/python3.11/queue.py", 3, "put")      # stdlib, called by a built-in's caller chain


def test_shared_time_goes_to_callers():
    stats = SimpleNamespace(stats={
        AXIS: (1, 1, 1.0, 4.0, {SCHED: (1, 1, 1.0, 4.0)}),
        REG: (1, 1, 2.0, 3.0, {SCHED: (1, 1, 2.0, 3.0)}),
        SCHED: (1, 1, 0.5, 7.5, {}),
        # 3 s of the built-in: 2.25 s when the stream agent called it, 0.75 s for the register model
        SETV: (2, 2, 3.0, 3.0, {AXIS: (1, 1, 2.25, 2.25), REG: (1, 1, 0.75, 0.75)}),
        STD: (1, 1, 0.4, 0.4, {SETV: (1, 1, 0.4, 0.4)}),
    })
    b = buckets(stats)
    assert abs(sum(b.values()) - 6.9) < 1e-9
    assert abs(b["stream agents (AXI4-Stream)"] - (1.0 + 2.25 + 0.3)) < 1e-9
    assert abs(b["register model (pyuvm uvm_reg)"] - (2.0 + 0.75 + 0.1)) < 1e-9
    assert abs(b["cocotb scheduler and triggers"] - 0.5) < 1e-9


def test_uncalled_shared_time_is_unattributed():
    stats = SimpleNamespace(stats={STD: (1, 1, 0.2, 0.2, {})})
    assert buckets(stats) == {"unattributed": 0.2}
