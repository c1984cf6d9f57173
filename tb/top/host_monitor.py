"""Host monitor: what the bus and the irq pin show of each start. It
watches every AXI4-Lite access (the agent's `ap`) and the irq pin, and builds
one GemmObservation per start:

- a CTRL write with START opens it (a START while the open one was last
  read BUSY counts as a start while busy instead);
- the first STATUS read with BUSY low ends it (DONE, ERROR, ERR_CODE), and
  the CYC_TOTAL / CYC_MAC reads after that are its counters;
- irq high at any access after the start is its interrupt.

A Q_CTRL write with PUSH queues an observation of its own (`queued`: no
status of its own, the queue's next GEMM follows at once).
When the sequence publishes its GemmRequest (the host is done with the job),
the oldest queued observation, or else the open one, goes to `ap` (the
scoreboard pairs the two in order; a sequence publishes in push order).
A start that never got a request (a refused start a register test makes on
its own) is dropped by the next one."""

import collections

from pyuvm import ConfigDB, uvm_analysis_port, uvm_component, uvm_subscriber

from tb.top.regmodel import REGMAP, RegValue
from tb.top.seq_item import GemmObservation


class HostMonitor(uvm_component):
    def build_phase(self):
        self.access_export = uvm_subscriber.uvm_AnalysisImp("access_export", self, self.write_access)
        self.request_export = uvm_subscriber.uvm_AnalysisImp("request_export", self, self.write_request)
        self.ap = uvm_analysis_port("ap", self)
        self.open = None  # the observation of the latest start
        self.busy_read = False  # its latest STATUS read showed BUSY
        self.counters_read = set()  # the counters read since it ended
        self.queued = collections.deque()  # observations of pushed descriptors, oldest first

    def start_of_simulation_phase(self):
        self.dut = ConfigDB().get(self, "", "dut")

    def irq_high(self):
        v = self.dut.irq.value
        return v.is_resolvable and int(v) == 1

    def write_access(self, a):
        obs = self.open
        if a.kind == "write" and a.name == "Q_CTRL" and a.resp == 0 and RegValue(REGMAP["Q_CTRL"], a.data, a.resp).PUSH:
            self.queued.append(GemmObservation(queued=True))
            return
        if a.kind == "write" and a.name == "CTRL" and a.resp == 0 and RegValue(REGMAP["CTRL"], a.data, a.resp).START:
            if obs is not None and not obs.status_known and self.busy_read:
                obs.busy_starts += 1
            else:
                self.open, self.busy_read, self.counters_read = GemmObservation(), False, set()
            return
        if obs is None:
            return
        if self.irq_high():
            obs.irq = True
        if a.kind != "read":
            return
        if a.name == "STATUS" and not obs.status_known:
            status = RegValue(REGMAP["STATUS"], a.data, a.resp)
            self.busy_read = bool(status.BUSY)
            if not self.busy_read:
                obs.status_known = True
                obs.done, obs.error, obs.err_code = bool(status.DONE), bool(status.ERROR), status.ERR_CODE
        elif a.name in ("CYC_TOTAL", "CYC_MAC") and obs.status_known and a.name not in self.counters_read:
            self.counters_read.add(a.name)
            setattr(obs, a.name.lower(), a.data)

    def write_request(self, _request):
        if self.queued:
            self.ap.write(self.queued.popleft())
            return
        self.ap.write(self.open if self.open is not None else GemmObservation())
        self.open = None
