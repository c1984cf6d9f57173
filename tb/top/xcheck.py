"""X/Z check of every output port of the top (Icarus only: Verilator is
two-state). From the first release of aresetn on, every output is checked
once, and then again (in ReadOnly) at every value change of that output, so
no output bit may ever become X or Z. Event-driven: an idle output costs
nothing. Every offending port is logged with its time; check_phase fails the
test on the first one."""

import cocotb
from cocotb.triggers import ReadOnly, RisingEdge
from cocotb.utils import get_sim_time
from pyuvm import ConfigDB, uvm_component

OUTPUTS = ("s_axil_awready", "s_axil_wready", "s_axil_bresp", "s_axil_bvalid", "s_axil_arready",
           "s_axil_rdata", "s_axil_rresp", "s_axil_rvalid", "s_axis_tready", "m_axis_tdata",
           "m_axis_tvalid", "m_axis_tlast", "m_axis_tuser", "irq")
MAX_REPORTED = 5


class XCheck(uvm_component):
    def build_phase(self):
        self.cfg = ConfigDB().get(self, "", "cfg")
        self.enabled = self.cfg.sim == "icarus"
        self.bad = []  # (time_ns, port, value)
        self.checks = 0

    def start_of_simulation_phase(self):
        self.dut = ConfigDB().get(self, "", "dut")

    def check(self, name, sig):
        self.checks += 1
        # str() of a value read from the simulator is its stored binary
        # string: anything left after stripping 0s and 1s is an X or Z.
        value = str(sig.value)
        if value.strip("01"):
            if len(self.bad) < MAX_REPORTED:
                self.logger.error(f"X/Z on output {name} = {value} at {get_sim_time('ns')} ns")
            self.bad.append((get_sim_time("ns"), name, value))

    async def watch(self, name, sig):
        self.check(name, sig)
        change = sig.value_change
        while True:
            await change
            await ReadOnly()
            self.check(name, sig)

    async def run_phase(self):
        if not self.enabled:
            return
        dut = self.dut
        await RisingEdge(dut.aresetn)
        await ReadOnly()
        for name in OUTPUTS:
            cocotb.start_soon(self.watch(name, getattr(dut, name)))

    def check_phase(self):
        if self.bad:
            t, name, value = self.bad[0]
            raise AssertionError(f"{len(self.bad)} X/Z sample(s) on output ports; first: {name} = {value} "
                                 f"at {t} ns. Reproduce: {self.cfg.repro()}")
        if self.enabled:
            self.logger.info(f"x-check: {len(OUTPUTS)} output ports clean at {self.checks} checks (one per value change)")
