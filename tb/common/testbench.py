"""Testbench descriptors and discovery.

Each testbench lives in `tb/<name>/` with a `testbench.py` that defines
`TESTBENCH = Testbench(...)` and one test per file in `tb/<name>/tests/`.
A test's name is its file's stem and is unique across all testbenches, so
`make sim TEST=<name>` needs nothing else to find it. A file whose name ends
in `_bench` is a benchmark (run by `make bench`, or by name with `make sim`),
not a test: regressions and `make test` leave it out.
"""

import ast
import importlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from tb.common.params import PARAM_SETS

REPO = Path(__file__).resolve().parents[2]
# VSQ_RTL_DIR: another copy of the RTL (make mutate builds each mutant from its own).
RTL_DIR = Path(os.environ.get("VSQ_RTL_DIR") or REPO / "rtl")
TB_DIR = REPO / "tb"


@dataclass(frozen=True)
class Testbench:
    name: str
    toplevel: str
    rtl: tuple  # file names in rtl/
    param_names: tuple  # which entries of a parameter set the top level takes
    extra_params: dict = field(default_factory=dict)  # fixed parameters of this bench
    tb_sources: tuple = ()  # testbench HDL (paths under tb/), after the RTL: e.g. a wrapper toplevel
    verilator_args: tuple = ()  # extra Verilator build arguments of this bench (e.g. its DPI C++ file)
    sims: tuple = ("icarus", "verilator")  # the simulators that can build it (DPI-C: Verilator only)

    def sources(self):
        return [RTL_DIR / f for f in self.rtl] + [TB_DIR / f for f in self.tb_sources]

    def verilog_params(self, params):
        out = {k: params[k] for k in self.param_names}
        out.update(self.extra_params)
        return out

    def tests(self, include_benchmarks=False):
        tests_dir = TB_DIR / self.name / "tests"
        names = (p.stem for p in tests_dir.glob("*.py") if not p.name.startswith("_"))
        return sorted(n for n in names if include_benchmarks or not n.endswith("_bench"))

    def test_module(self, test):
        return f"tb.{self.name}.tests.{test}"


def testbenches():
    """All testbenches, by name."""
    found = {}
    for desc in sorted(TB_DIR.glob("*/testbench.py")):
        if desc.parent.name == "common":  # this file: the descriptor class, not a bench
            continue
        mod = importlib.import_module(f"tb.{desc.parent.name}.testbench")
        found[mod.TESTBENCH.name] = mod.TESTBENCH
    return found


def all_tests(include_benchmarks=False):
    """{test name: Testbench}; a name defined twice is an error."""
    tests = {}
    for bench in testbenches().values():
        for t in bench.tests(include_benchmarks):
            if t in tests:
                raise RuntimeError(f"test '{t}' is defined in both tb/{tests[t].name} and tb/{bench.name}")
            tests[t] = bench
    return tests


def allowed_params(bench, test):
    """The parameter sets a test runs in: its file's top-level PARAM_SETS
    (e.g. real-data cases made for the paper configuration), else all. Read
    from the source, not imported (a test module imports cocotb)."""
    tree = ast.parse((TB_DIR / bench / "tests" / f"{test}.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "PARAM_SETS" for t in node.targets):
            return tuple(ast.literal_eval(node.value))
    return tuple(PARAM_SETS)
