"""Base lane sequence: sends accumulations (runs of steps, the first one
flagged) built by the subclass from the job's numpy generator.
Knobs: max_idle (idle cycles before a step, default 2), unflagged_start."""

from pyuvm import uvm_sequence

from tb.lane.seq_item import LaneStep


class LaneBaseSeq(uvm_sequence):
    def __init__(self, name, rng, vec, **knobs):
        super().__init__(name)
        self.rng = rng
        self.vec = vec
        self.knobs = knobs

    def accumulations(self):
        """Yields (mode, a [n,V], sa [n], b [n,V], sb [n]) per accumulation."""
        raise NotImplementedError

    async def body(self):
        max_idle = self.knobs.get("max_idle", 2)
        # unflagged_start: the first accumulation after reset starts without `first`,
        # from the accumulator's reset value 0 (make mutate: a wrong reset value survived).
        unflagged = self.knobs.get("unflagged_start", False)
        for k, (mode, a, sa, b, sb) in enumerate(self.accumulations()):
            for i in range(len(a)):
                idle = int(self.rng.integers(0, max_idle + 1)) if max_idle else 0
                first = i == 0 and not (unflagged and k == 0)
                item = LaneStep(mode=mode, first=first, a=a[i], sa=sa[i], b=b[i], sb=sb[i], idle=idle)
                await self.start_item(item)
                await self.finish_item(item)
