"""Code-coverage scoring without a simulator: a small hand-written Verilator
coverage.dat, scored per module (instances unioned), with exclusions (applied,
stale) and the lcov file genhtml reads; and the regression's coverage goals."""

import pytest

from tools.regress import code_coverage as cc
from tools.regress.report import check_goals, goal_error

RTL = """module m;
  always @* begin
    if (a) x = 1;          // line 3: both arms hit
    else if (b) x = 2;     // line 4: the then arm never hit
    else x = 3;
  end
  assign y = z ? 1 : 0;    // line 7: unreachable then arm
endmodule
"""


def point(path, line, col, kind, comment, hier, hits, span=None):
    fields = {"f": path, "l": line, "n": col, "t": kind, "page": f"v_{kind}/m", "o": comment,
              "S": span or line, "h": hier}
    body = "".join(f"\x01{k}\x02{v}" for k, v in fields.items())
    return f"C '{body}' {hits}"


@pytest.fixture
def design(tmp_path):
    rtl = tmp_path / "rtl"
    rtl.mkdir()
    src = rtl / "m.v"
    src.write_text(RTL)
    f = str(src)
    pts = [
        point(f, 2, 1, "line", "block", "top.u0", 10, "2-6"),
        point(f, 3, 5, "branch", "if", "top.u0", 4),
        point(f, 3, 6, "branch", "else", "top.u0", 6),
        point(f, 4, 5, "branch", "if", "top.u0", 0),
        point(f, 4, 5, "branch", "if", "top.u1", 0),
        point(f, 4, 6, "branch", "else", "top.u1", 3),   # hit in the other instance only
        point(f, 4, 9, "line", "elsif", "top.u0", 0),
        point(f, 7, 5, "branch", "cond_then", "top.u0", 0),
        point(f, 7, 6, "branch", "cond_else", "top.u0", 9),
        point(f, 7, 2, "toggle", "y:0->1", "top.u0", 1),
        point(f, 7, 2, "toggle", "y:1->0", "top.u0", 0),
        point(str(tmp_path / "tb.v"), 1, 1, "line", "block", "tb", 0),  # outside rtl/: ignored
    ]
    dat = tmp_path / "coverage.dat"
    dat.write_text("# SystemC::Coverage-3\n" + "\n".join(pts) + "\n")
    return dat, rtl


def excl(tmp_path, body):
    p = tmp_path / "ex.yaml"
    p.write_text(body)
    return cc.load_exclusions(p)


def test_scores_per_module_with_instances_unioned(design):
    dat, rtl = design
    res = cc.score(dat, rtl, [])
    # branches: 3 if/else hit, 4 if never, 4 else hit (in u1), 7 then never, 7 else hit -> 4/6
    assert res["files"]["m.v"]["branch"] == [4, 6]
    assert res["branch"] == pytest.approx(66.67)
    # lines 2..6 from the block, line 4 as covered as its least-hit block -> 4 of 5
    assert res["files"]["m.v"]["line"] == [4, 5]
    assert res["toggle"] == 50.0
    assert list(res["files"]) == ["m.v"]


def test_exclusion_removes_only_the_matching_arm(design, tmp_path):
    dat, rtl = design
    ex = excl(tmp_path, """exclusions:
  - {file: m.v, match: "assign y = z", kinds: [branch], comment: cond_then, reason: unreachable}
""")
    res = cc.score(dat, rtl, ex)
    assert res["files"]["m.v"]["branch"] == [4, 5]
    assert res["exclusions"][0]["status"] == "applied" and res["exclusions"][0]["points"] == 1


def test_stale_exclusions_are_reported_and_not_applied(design, tmp_path):
    dat, rtl = design
    ex = excl(tmp_path, """exclusions:
  - {file: m.v, match: "if (a) x = 1;", reason: was thought unreachable}
  - {file: m.v, match: "text that is gone", reason: old}
""")
    res = cc.score(dat, rtl, ex)
    assert res["exclusions"][0]["status"] == "stale: 2 of its points were hit"
    assert res["exclusions"][1]["status"] == "stale: text not found"
    assert res["files"]["m.v"]["branch"] == [4, 6]


@pytest.mark.parametrize("body,message", [
    ("exclusions:\n  - {file: m.v, match: x}\n", "needs a non-empty 'reason'"),
    ("exclusions:\n  - {file: m.v, match: x, reason: r, kinds: [expr]}\n", "kinds must be among"),
])
def test_malformed_exclusions_are_refused(tmp_path, body, message):
    with pytest.raises(cc.ExclusionError, match=message):
        excl(tmp_path, body)


def test_lcov_has_lines_and_real_branches_only(design, tmp_path):
    dat, rtl = design
    res = cc.score(dat, rtl, [])
    info = tmp_path / "m.info"
    cc.write_lcov(res["lcov"], info)
    text = info.read_text()
    assert text.count("BRDA:") == 6 and "BRH:4" in text
    assert "DA:4,0" in text and "DA:2,10" in text and "LH:4" in text


def test_goals():
    code = {"line": 96.0, "branch": 89.0, "toggle": 70.0}
    groups = {"top": 97.0, "top.mode": 100.0, "top.error_code": 90.0}
    got = {g["metric"]: g for g in check_goals({"line": 95, "branch": 90, "functional_per_covergroup": 95},
                                               code, groups)}
    assert got["line"]["met"] and not got["branch"]["met"]
    assert not got["functional_per_covergroup"]["met"] and "top.error_code 90.0%" in got["functional_per_covergroup"]["detail"]
    assert goal_error({"lines": 95}).startswith("unknown coverage goal 'lines'")
    assert goal_error({"line": 150}) and goal_error(None) is None
