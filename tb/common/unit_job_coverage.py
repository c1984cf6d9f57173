"""Coverage subscriber base for the unit-job benches (PPU, softmax): takes
each checked job from the scoreboard's `ap` as (job, observed input, model
output; None, None for refused and aborted jobs) and hands it with the
parameters to the subclass's `sample_job`, which derives the bench's facts
and samples its covergroups."""

from pyuvm import ConfigDB, uvm_component, uvm_tlm_analysis_fifo


class UnitJobCoverage(uvm_component):
    def build_phase(self):
        self.fifo = uvm_tlm_analysis_fifo("fifo", self)

    def start_of_simulation_phase(self):
        self.params = ConfigDB().get(self, "", "cfg").params

    def sample_job(self, job, observed, model_out):
        raise NotImplementedError

    async def run_phase(self):
        while True:
            self.sample_job(*await self.fifo.get())
