"""Both beat orders on the same operands: each case (several m-tiles and
n-tiles) is loaded once and run with n_outer = 0 and then 1; the scoreboard
checks each run's beats against the documented order and the model."""

from models.numerics import MODES
from tb.engine.seq_lib.base_seq import EngineBaseSeq


class EngineOrderSeq(EngineBaseSeq):
    async def body(self):
        max_steps = self.max_steps
        for i in range(self.knobs.get("count", 4)):
            mode = MODES[i % len(MODES)]
            for _ in range(100):  # a shape with at least two tiles each way
                M, N, K = self.shape(mode, "random", max_steps)
                if M >= 2 * self.lanes and N >= 2 * self.acc_depth:
                    break
            self.set_backpressure(str(self.rng.choice(["none", "random"])))
            case = self.make_case(M, N, K, mode)
            first = self.randint(0, 1)
            await self.run_case(case, n_outer=first)
            await self.run_case(case, n_outer=1 - first, load=False)
