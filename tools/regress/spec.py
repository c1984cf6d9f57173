"""Regression lists: load, validate and expand into jobs.

An entry names a `bench` (all its tests) or one `test`, and may override the
defaults: `sims`, `params`, `seeds` (count), `timeout` (seconds), `coverage`.
A test file may restrict the parameter sets it runs in with a top-level
`PARAM_SETS = (...)` (e.g. real-data cases made for the paper
configuration): a `bench` entry leaves it out of the other sets, a `test`
entry that names another set is an error.
"""

import random
import zlib
from dataclasses import dataclass

import yaml

from tb.common.params import PARAM_SETS
from tb.common.testbench import REPO, all_tests, allowed_params
from tb.sim import SIMS

REGRESSIONS = REPO / "regressions"
KEYS = {"bench", "test", "sims", "params", "seeds", "timeout", "coverage"}


class SpecError(Exception):
    """A regression list that cannot be run: one line for the user."""


@dataclass(frozen=True)
class Job:
    test: str
    bench: str
    sim: str
    params: str
    seed: int
    timeout: int
    coverage: bool

    @property
    def name(self):
        return f"{self.test}.{self.sim}.{self.params}.s{self.seed}"

    @property
    def build_key(self):
        return (self.bench, self.sim, self.params, self.coverage)

    def repro(self):
        return f"make sim TEST={self.test} SIM={self.sim} SEED={self.seed} PARAMS={self.params} WAVES=1"


def available():
    return sorted(p.stem for p in REGRESSIONS.glob("*.yaml"))


def load(name):
    path = REGRESSIONS / f"{name}.yaml"
    if not path.exists():
        raise SpecError(f"unknown regression '{name}' (known: {', '.join(available())})")
    try:
        data = yaml.safe_load(path.read_text())
    except yaml.YAMLError as exc:
        raise SpecError(f"{path.name}: not valid YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise SpecError(f"{path.name}: needs a mapping with an 'entries' list")
    return data


def expand(data, sims=None, seeds=None, base_seed=None):
    """The jobs of a regression; `sims`/`seeds` override the list (SIM=, SEEDS=)."""
    tests = all_tests()
    benches = {}
    for t, b in tests.items():
        benches.setdefault(b.name, []).append(t)
    defaults = data.get("defaults", {}) or {}
    rng = random.Random(base_seed)
    jobs, seen = [], set()
    for i, entry in enumerate(data["entries"]):
        where = f"{data.get('name', 'regression')} entry {i + 1}"
        if not isinstance(entry, dict) or set(entry) - KEYS:
            raise SpecError(f"{where}: unknown keys {sorted(set(entry) - KEYS) if isinstance(entry, dict) else entry}")
        e = {**defaults, **entry}
        if "bench" in e:
            if e["bench"] not in benches:
                raise SpecError(f"{where}: unknown bench '{e['bench']}' (known: {', '.join(sorted(benches))})")
            names = benches[e["bench"]]
        elif "test" in e:
            if e["test"] not in tests:
                raise SpecError(f"{where}: unknown test '{e['test']}'")
            names = [e["test"]]
        else:
            raise SpecError(f"{where}: names neither a bench nor a test")
        entry_sims = [s for s in e.get("sims", SIMS) if sims is None or s in sims]
        for s in entry_sims:
            if s not in SIMS:
                raise SpecError(f"{where}: unknown simulator '{s}'")
        for p in e.get("params", ["fast"]):
            if p not in PARAM_SETS:
                raise SpecError(f"{where}: unknown parameter set '{p}'")
        count = int(seeds if seeds is not None else e.get("seeds", 1))
        for test in names:
            allowed = allowed_params(tests[test].name, test)
            psets = [p for p in e.get("params", ["fast"]) if p in allowed]
            refused = [p for p in e.get("params", ["fast"]) if p not in allowed]
            if "test" in e and refused:
                raise SpecError(f"{where}: {test} runs only with params {', '.join(allowed)} "
                                f"(PARAM_SETS in its file), not {', '.join(refused)}")
            for sim in entry_sims:
                for pset in psets:
                    for k in range(count):
                        # Seeds differ per test and per index, and per run unless fixed.
                        seed = ((rng.randrange(1, 2**31) ^ zlib.crc32(f"{test}{k}".encode())) & 0x7FFFFFFF) or 1
                        job = Job(test, tests[test].name, sim, pset, seed,
                                  int(e.get("timeout", 600)), bool(e.get("coverage", False)))
                        if job.name not in seen:
                            seen.add(job.name)
                            jobs.append(job)
    return jobs
