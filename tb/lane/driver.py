"""Drives LaneSteps onto the lane's input pins: one step per cycle, with the
idle cycles each item asks for, and in_valid low whenever no step is due."""

from cocotb.triggers import ClockCycles, RisingEdge
from pyuvm import ConfigDB, uvm_driver

from models.contract import MODE_CODES
from models.words import pack_words


class LaneDriver(uvm_driver):
    def build_phase(self):
        self.cfg = ConfigDB().get(self, "", "cfg")
        self.vec = self.cfg.params["VEC"]
        self.data_mask = (1 << (4 * self.vec)) - 1

    def start_of_simulation_phase(self):
        self.dut = ConfigDB().get(self, "", "dut")

    def bus(self, elems, mode):
        """The data bits of an operand word (the lane takes scales separately)."""
        return pack_words(elems[None, :], [0], mode, self.vec)[0] & self.data_mask

    async def run_phase(self):
        dut = self.dut
        dut.in_valid.value = 0
        dut.in_first.value = 0
        await RisingEdge(dut.clk)
        while True:
            item = await self.seq_item_port.get_next_item()
            if item.idle:
                dut.in_valid.value = 0
                await ClockCycles(dut.clk, item.idle)
            dut.in_valid.value = 1
            dut.in_first.value = int(item.first)
            dut.mode.value = MODE_CODES[item.mode]
            dut.a.value = self.bus(item.a, item.mode)
            dut.b.value = self.bus(item.b, item.mode)
            dut.sa.value = item.sa
            dut.sb.value = item.sb
            await RisingEdge(dut.clk)  # the lane takes the step here
            dut.in_valid.value = 0  # stays low unless the next item follows at once
            self.seq_item_port.item_done()
