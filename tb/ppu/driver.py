"""Drives PpuJobs through the shared unit-job protocol (tb/common/unit_job_driver.py):
the configuration writes the job's g/bias rows into the tables and sets
cfg_*; the input stream is the tile (t_*) in the n_outer = 1 beat order."""

from cocotb.triggers import RisingEdge

from tb.common.stream_layout import beat_order, pack_lanes, ppu_rows
from tb.common.unit_job_driver import UnitJobDriver


class PpuDriver(UnitJobDriver):
    prefix = "t_"
    idle_pins = ("tbl_we", "tbl_row", "tbl_g", "tbl_bias", "t_acc", "t_mt", "t_n", "t_last",
                 "cfg_out_mode", "cfg_sh", "cfg_relu", "cfg_m")

    async def write_tables(self, job):
        dut = self.dut
        rows = min(len(job.g), ppu_rows(self.params))
        for m in range(rows):
            dut.tbl_we.value = 1
            dut.tbl_row.value = m
            dut.tbl_g.value = int(job.g[m])
            dut.tbl_bias.value = int(job.bias[m]) & 0xFFFF
            await RisingEdge(dut.clk)
        dut.tbl_we.value = 0

    async def configure(self, job):
        dut = self.dut
        await self.write_tables(job)
        dut.cfg_out_mode.value = job.code
        dut.cfg_sh.value = job.sh
        dut.cfg_relu.value = int(job.relu)
        dut.cfg_m.value = job.m

    def beats(self, job):
        lanes = self.params["LANES"]
        order = beat_order(job.m, job.n, self.params)
        out = []
        for i, (mt, n) in enumerate(order):
            out.append({"t_acc": pack_lanes(job.acc[mt * lanes:(mt + 1) * lanes, n], 24),
                        "t_mt": mt, "t_n": n, "t_last": int(i == len(order) - 1)})
        return out
