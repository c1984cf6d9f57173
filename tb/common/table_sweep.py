"""A combinational table block swept input value by input value, against the model.

Why: the Softermax tables (vsq_sm_exp2's POW2, vsq_sm_recip's C0/C1) reach
the softmax outputs only through rounding, so a table entry off by one LSB
changes about one random column in a thousand: `make mutate` found such
mutants surviving the softmax bench. Read directly, every entry is checked.

A bench's test names its `TableSpec`: the input port, the output ports, the
input values (from the job's numpy generator) and the model (models/ only).
The sequence sends one item per value; the driver applies it and holds it
for PERIOD_NS; the monitor samples inputs and outputs half-way (settled) and
writes them to its analysis port; the scoreboard compares them with the model.
"""

import cocotb
import numpy as np
from cocotb.triggers import Timer
from pyuvm import (ConfigDB, uvm_analysis_port, uvm_component, uvm_driver, uvm_env, uvm_sequence,
                   uvm_sequence_item, uvm_test, uvm_tlm_analysis_fifo)

from tb.common.agent import Agent
from tb.common.config import TbConfig
from tb.common.scoreboard import CompareScoreboard

PERIOD_NS = 2


class TableSpec:
    inp = ""  # input port
    outputs = ()  # output ports

    def values(self, rng):
        raise NotImplementedError

    def model(self, values):
        """{output port: expected int64 array} for the input values."""
        raise NotImplementedError


class TableItem(uvm_sequence_item):
    def __init__(self, name="table_item", value=0):
        super().__init__(name)
        self.value = int(value)


class TableSeq(uvm_sequence):
    def __init__(self, name, values):
        super().__init__(name)
        self.values = values

    async def body(self):
        for v in self.values:
            item = TableItem(value=v)
            await self.start_item(item)
            await self.finish_item(item)


class TableDriver(uvm_driver):
    async def run_phase(self):
        dut, spec = ConfigDB().get(self, "", "dut"), ConfigDB().get(self, "", "table")
        while True:
            item = await self.seq_item_port.get_next_item()
            getattr(dut, spec.inp).value = item.value
            await Timer(PERIOD_NS, "ns")
            self.seq_item_port.item_done()


class TableMonitor(uvm_component):
    def build_phase(self):
        self.ap = uvm_analysis_port("ap", self)

    async def run_phase(self):
        dut, spec = ConfigDB().get(self, "", "dut"), ConfigDB().get(self, "", "table")
        await Timer(PERIOD_NS // 2, "ns")
        while True:  # half-way through each item: the combinational outputs have settled
            v = getattr(dut, spec.inp).value
            if v.is_resolvable:
                self.ap.write((int(v), {o: getattr(dut, o).value for o in spec.outputs}))
            await Timer(PERIOD_NS, "ns")


class TableScoreboard(CompareScoreboard):
    def build_phase(self):
        super().build_phase()
        self.fifo = uvm_tlm_analysis_fifo("fifo", self)

    def check_phase(self):
        spec = ConfigDB().get(self, "", "table")
        seen = []
        while True:
            ok, got = self.fifo.try_get()
            if not ok:
                break
            seen.append(got)
        values = np.array([v for v, _ in seen], dtype=np.int64)
        expected = spec.model(values) if len(seen) else {}
        for k, (v, outs) in enumerate(seen):  # one compare per input value: a mismatch names it
            actual = [int(outs[o]) if outs[o].is_resolvable else -1 for o in spec.outputs]
            self.compare(f"{spec.inp}={v} -> {'/'.join(spec.outputs)}",
                         np.array([expected[o][k] for o in spec.outputs]), np.array(actual))
        super().check_phase()


class TableAgent(Agent):
    driver_class, monitor_class = TableDriver, TableMonitor


class TableEnv(uvm_env):
    def build_phase(self):
        ConfigDB().set(None, "*", "dut", cocotb.top)
        self.agent = TableAgent("agent", self)
        self.scoreboard = TableScoreboard("scoreboard", self)

    def connect_phase(self):
        self.agent.monitor.ap.connect(self.scoreboard.fifo.analysis_export)


class TableSweepTest(uvm_test):
    spec_class = None  # set by each test

    def build_phase(self):
        self.cfg = TbConfig.from_env()
        self.spec = self.spec_class()
        ConfigDB().set(None, "*", "cfg", self.cfg)
        ConfigDB().set(None, "*", "table", self.spec)
        self.env = TableEnv("env", self)

    async def run_phase(self):
        self.raise_objection()
        values = [int(v) for v in self.spec.values(self.cfg.rng("stimulus"))]
        await TableSeq("seq", values).start(self.env.agent.seqr)
        await Timer(2 * PERIOD_NS, "ns")
        self.drop_objection()
