"""Drives SoftmaxJobs through the shared unit-job protocol
(tb/common/unit_job_driver.py): the configuration is cfg_len; the input
stream is the scores (s_*), one block per beat in the n_outer = 1 order."""

from tb.common.stream_layout import beat_order, pack_lanes
from tb.common.unit_job_driver import UnitJobDriver


class SoftmaxDriver(UnitJobDriver):
    prefix = "s_"
    idle_pins = ("cfg_len", "s_x", "s_mt", "s_n", "s_last")

    async def configure(self, job):
        self.dut.cfg_len.value = job.length

    def beats(self, job):
        lanes = self.params["LANES"]
        order = beat_order(job.length, job.n, self.params)
        return [{"s_x": pack_lanes(job.x[mt * lanes:(mt + 1) * lanes, n], 8), "s_mt": mt, "s_n": n,
                 "s_last": int(i == len(order) - 1)} for i, (mt, n) in enumerate(order)]
