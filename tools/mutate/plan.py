"""Which tests run on a mutant of a module, in which order.

The benches that exercise a module are those whose RTL list holds its file
(tb/<bench>/testbench.py), smallest first: the first is the module's own bench.
Tiers, each run only if the mutant survived the one before:
  own      the own bench's tests, one smoke seed each (fast configuration)
  smoke    the rest of smoke's jobs on the benches that exercise the module
  nightly  nightly's fast-configuration seeds on those benches
Every job runs under the campaign's simulator (SIM=, Icarus by default):
smoke's jobs for that simulator, and all of nightly's fast-configuration seeds
(whichever simulator the list gives them) run under it. Paper-configuration
entries are left out (each mutant is built for the fast configuration).
Job seeds come from the regression lists expanded with the campaign's seed,
so the same SEED gives the same jobs.
"""

from dataclasses import asdict, dataclass

from tb.common.testbench import testbenches
from tools.regress import spec

TIERS = ("own", "smoke", "nightly")
# Tier `elab` (tools/mutate/job.py) comes before them, for parameter-guard
# mutants only; what smoke (and make test) alone would catch:
ELAB = "elab"
SMOKE_TIERS = (ELAB, "own", "smoke")


@dataclass(frozen=True)
class PlanJob:
    tier: str
    test: str
    bench: str
    seed: int
    timeout: int

    @property
    def name(self):
        return f"{self.test}.s{self.seed}"

    def to_json(self):
        return asdict(self)


def benches_of(rtl_file):
    """The benches whose RTL holds `rtl_file`, smallest first."""
    found = [b for b in testbenches().values() if rtl_file in b.rtl]
    return [b.name for b in sorted(found, key=lambda b: (len(b.rtl), b.name))]


def _jobs(regression, sims, seed):
    data = spec.load(regression)
    jobs = spec.expand(data, sims=sims, base_seed=seed)
    out, seen = [], set()
    for j in jobs:
        if j.params != "fast" or (j.test, j.seed) in seen:
            continue
        seen.add((j.test, j.seed))
        out.append(j)
    return out


class Planner:
    """Builds every module's plan from the regression lists, once."""

    def __init__(self, sim="icarus", seed=1, depth="smoke"):
        if depth not in TIERS:
            raise ValueError(f"unknown depth '{depth}' (known: {', '.join(TIERS)})")
        self.sim, self.depth = sim, depth
        # smoke: its jobs for this simulator; nightly: all its fast seeds, run under this one.
        self.smoke = _jobs("smoke", [sim], seed)
        self.nightly = _jobs("nightly", None, seed) if depth == "nightly" else []

    def plan(self, rtl_file):
        """[PlanJob] for a mutant of `rtl_file`, tier by tier."""
        benches = benches_of(rtl_file)
        if not benches:
            return []
        own = benches[0]
        out, seen = [], set()

        def add(tier, j):
            if (j.test, j.seed) not in seen:
                seen.add((j.test, j.seed))
                out.append(PlanJob(tier, j.test, j.bench, j.seed, j.timeout))

        first = {}
        for j in self.smoke:
            if j.bench == own:
                first.setdefault(j.test, j)
        for j in first.values():
            add("own", j)
        if self.depth in ("smoke", "nightly"):
            for j in self.smoke:
                if j.bench in benches:
                    add("smoke", j)
        if self.depth == "nightly":
            for j in self.nightly:
                if j.bench in benches:
                    add("nightly", j)
        return out
