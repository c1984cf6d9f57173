"""Mutant generation and sampling (tools/mutate/mutants.py) on the real rtl/,
read at run time: no line number of the RTL is written here."""

import re
from pathlib import Path

import pytest

from tools.mutate import mutants as M
from tools.mutate.plan import Planner, benches_of

RTL = Path(__file__).resolve().parents[2] / "rtl"


def _all():
    return {p.stem: M.generate(p.name, p.read_text()) for p in sorted(RTL.glob("*.v"))}


def test_every_module_has_mutants_and_every_operator_is_used():
    found = _all()
    assert all(found.values()), [m for m, c in found.items() if not c]
    assert {mu.op for c in found.values() for mu in c} == set(M.OPS)


def test_a_mutant_changes_code_never_a_comment_and_applies_back():
    for p in sorted(RTL.glob("*.v")):
        text = p.read_text()
        for mu in M.generate(p.name, text):
            mutated = M.apply(text, mu)
            assert mutated != text
            assert M.strip_comments(mutated) != M.strip_comments(text), (mu.file, mu.line, mu.detail)
            assert len(mutated.split("\n")) == len(text.split("\n"))


def test_ids_are_stable_unique_and_follow_the_files_text():
    text = (RTL / "vsq_fifo.v").read_text()
    first, again = M.generate("vsq_fifo.v", text), M.generate("vsq_fifo.v", text)
    assert [m.id for m in first] == [m.id for m in again]
    assert len({m.id for m in first}) == len(first)
    changed = M.generate("vsq_fifo.v", text + "\n// a comment added\n")
    assert not {m.id for m in first} & {m.id for m in changed}  # old results are not reused


def test_the_operators_do_what_they_say():
    text = (RTL / "vsq_fifo.v").read_text()
    by = {}
    for mu in M.generate("vsq_fifo.v", text):
        by.setdefault(mu.op, []).append(mu)
    assert any("count + 1'b1" in m.original and "count - 1'b1" in m.mutated for m in by["arith"])
    assert any(re.search(r"if \(1'b0\)", m.mutated) for m in by["cond"])
    assert any(m.mutated.strip() == ";" for m in by["drop"])
    assert any(m.mutated.strip().endswith("= 0;") for m in by["stuck"])
    assert not by.get("swap")  # its only neighbours both reset to zero: swapping them changes nothing
    swaps = [m for c in _all().values() for m in c if m.op == "swap"]
    assert swaps and all(m.original.count("\n") == 1 == m.mutated.count("\n") for m in swaps)
    # The nonblocking `<=` of an assignment is never turned into `<`.
    assert not any(re.search(r"\w\s+<\s", m.mutated) and "<=" in m.original.split("<=")[0] + "<="
                   and m.op == "compare" and m.mutated.count("<") > m.original.count("<") for m in by["compare"])
    assert not any(m.op == "compare" and m.detail == "<= -> <" and m.original.strip().startswith(("count", "rd_ptr"))
                   for m in by["compare"])


def test_sampling_is_reproducible_and_follows_size():
    found = _all()
    sizes = {m: M.code_lines((RTL / f"{m}.v").read_text()) for m in found}
    a, b = M.sample(found, sizes, 300, 7), M.sample(found, sizes, 300, 7)
    assert [m.id for m in a] == [m.id for m in b] and len(a) == 300
    assert [m.id for m in M.sample(found, sizes, 300, 8)] != [m.id for m in a]
    count = {m: sum(x.module == m for x in a) for m in found}
    assert all(count[m] >= 1 for m in found)
    big, small = max(sizes, key=sizes.get), min(sizes, key=sizes.get)
    assert count[big] > count[small]


def test_the_plan_runs_the_own_bench_first_then_smoke_then_nightly():
    assert benches_of("vsq_sat_add.v") == ["lane", "engine", "top", "topfast"]
    plan = Planner("icarus", 1, "nightly").plan("vsq_sat_add.v")
    tiers = [j.tier for j in plan]
    assert tiers == sorted(tiers, key=("own", "smoke", "nightly").index)
    assert {j.bench for j in plan if j.tier == "own"} == {"lane"}
    assert {j.bench for j in plan} == {"lane", "engine", "top"}
    assert len({(j.test, j.seed) for j in plan}) == len(plan)
    with pytest.raises(ValueError):
        Planner("icarus", 1, "weekly")


def test_assertions_are_not_mutated_and_not_weighed():
    # every rtl file with a VSQ_ASSERT block: none of its lines is a mutant, and
    # code_lines (the sampling weight) leaves them out
    checked = 0
    for p in sorted(RTL.glob("*.v")):
        text = p.read_text()
        code = M.strip_comments(text).split("\n")
        checks = M.assertion_lines(code)
        if not checks:
            continue
        checked += 1
        assert any("assert" in code[i] for i in checks) and code[min(checks)].strip() == "`ifdef VSQ_ASSERT"
        assert not {mu.line - 1 for mu in M.generate(p.name, text)} & checks, p.name
        assert M.code_lines(text) == sum(1 for i, c in enumerate(code) if c.strip()) - sum(
            1 for i in checks if code[i].strip())
    assert checked >= 5
    # nesting: a `ifdef FORMAL inside the block is inside; the code after the outer `endif is not
    code = ["`ifdef VSQ_ASSERT", "`ifdef FORMAL", "cover(x);", "`endif", "assert(y);", "`endif", "assign z = a;"]
    assert M.assertion_lines(code) == {0, 1, 2, 3, 4, 5}


def test_guard_mutants_are_told_apart_for_the_elaboration_tier():
    """Every mutant of a parameter guard's condition (and only those) goes to
    tier elab (tests/sim/test_param_guards.py), which no simulation of the
    legal configuration could replace. A guard, told apart here by what it
    does: the `if` whose block instantiates a PARAMETER_ERROR_* module."""
    for path in sorted(RTL.glob("*.v")):
        text = path.read_text()
        lines = text.splitlines()
        guards = {i for i in range(1, len(lines)) if "PARAMETER_ERROR_" in lines[i] and "if" in lines[i - 1]}
        assert guards or "PARAMETER_ERROR_" not in text, path.name
        for mu in M.generate(path.name, text):
            assert M.is_guard(mu) == (mu.line in guards), (mu.file, mu.line, mu.detail)
