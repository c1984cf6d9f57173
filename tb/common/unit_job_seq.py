"""Sequence base of the unit-job benches (PPU, softmax): sends the jobs that
the subclass's `jobs()` builds from the job's numpy generator `rng`, with the
bench's parameters and the test's knobs; `pick` draws one element of a
sequence from that generator (so every choice is reproducible from the seed)."""

from pyuvm import uvm_sequence


class UnitJobSeq(uvm_sequence):
    def __init__(self, name, rng, params, **knobs):
        super().__init__(name)
        self.rng = rng
        self.params = params
        self.knobs = knobs

    def jobs(self):
        raise NotImplementedError

    async def body(self):
        for job in self.jobs():
            await self.start_item(job)
            await self.finish_item(job)

    def pick(self, seq):
        return seq[int(self.rng.integers(len(seq)))]
