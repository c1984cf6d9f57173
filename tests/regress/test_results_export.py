"""Results other tools read, without a simulator: junit.xml keeps cocotb's
per-test properties and adds the seed, repro line and waves of a rerun;
code coverage as Cobertura XML; the waves reruns' selection."""

import xml.etree.ElementTree as ET

import yaml

from tools.regress import code_coverage as cc
from tools.regress import junit, rerun
from tools.regress.cobertura import write_cobertura
from tools.regress.results import JobResult
from tests.regress.test_code_coverage import design  # noqa: F401 - the fixture

COCOTB_XML = """<?xml version='1.0' encoding='utf-8'?>
<testsuites name="cocotb tests"><testsuite name="tb.lane.tests.t" tests="1"><testcase classname="tb.lane.tests.t"
 name="t" time="1.0"><properties><property name="random_seed" value="{seed}" /><property name="attachment"
 value="{log}" /></properties><system-out>[[ATTACHMENT|{log}]]
</system-out></testcase></testsuite></testsuites>"""


def _result(tmp_path, name, status, seed):
    d = tmp_path / name
    d.mkdir()
    (d / "results.xml").write_text(COCOTB_XML.format(seed=seed, log=d / "sim.log"))
    return JobResult(name, "lane_mode_test", "lane", "icarus", "fast", seed, status, 1.0,
                     "" if status == "pass" else "expected 1, got 2",
                     f"make sim TEST=lane_mode_test SIM=icarus SEED={seed} PARAMS=fast WAVES=1",
                     str(d / "job.log"), str(d))


def test_junit_keeps_cocotb_properties_and_links_waves(tmp_path):
    ok, bad = _result(tmp_path, "a", "pass", 11), _result(tmp_path, "b", "fail", 22)
    (rerun.rerun_dir(bad)).mkdir()
    (rerun.rerun_dir(bad) / "dump.fst").write_bytes(b"fst")
    junit.merge_junit([ok, bad], tmp_path / "junit.xml")
    cases = {c.get("name"): c for c in ET.parse(tmp_path / "junit.xml").getroot().iter("testcase")}
    props = {n: {p.get("name"): p.get("value") for p in c.iter("property")} for n, c in cases.items()}
    assert props["lane_mode_test[seed=11]"]["random_seed"] == "11"
    assert props["lane_mode_test[seed=22]"]["seed"] == "22"
    assert props["lane_mode_test[seed=22]"]["repro"] == bad.repro
    assert props["lane_mode_test[seed=22]"]["waves"] == str(rerun.rerun_dir(bad) / "dump.fst")
    assert "waves" not in props["lane_mode_test[seed=11]"]
    fail = cases["lane_mode_test[seed=22]"].find("failure")
    assert bad.repro in fail.text and "dump.fst" in fail.text
    assert "[[ATTACHMENT|" in cases["lane_mode_test[seed=11]"].find("system-out").text


def test_rerun_takes_the_first_failures_up_to_the_limit(tmp_path):
    rs = [_result(tmp_path, f"j{i}", "pass" if i % 2 else "fail", i) for i in range(7)]
    tasks = rerun.tasks(rs, 2, lambda r: 60)
    assert [t.key for t in tasks] == ["rerun.j0", "rerun.j2"]
    assert "--waves" in tasks[0].argv and tasks[0].argv[tasks[0].argv.index("--seed") + 1] == "0"
    assert rerun.tasks(rs, 0, lambda r: 60) == []


def test_cobertura_lines_and_branches(design, tmp_path):  # noqa: F811 - the fixture
    dat, rtl = design
    res = cc.score(dat, rtl, [])
    write_cobertura(res["lcov"], tmp_path / "cobertura.xml", rtl.parent)
    root = ET.parse(tmp_path / "cobertura.xml").getroot()
    cls = next(root.iter("class"))
    assert cls.get("filename") == "rtl/m.v"
    lines = {int(ln.get("number")): ln for ln in cls.iter("line")}
    assert lines[7].get("condition-coverage") == "50% (1/2)"
    assert lines[4].get("hits") == "0"  # its line point was never hit
    assert lines[7].get("hits") == "9"  # no line point: the arms' hits
    da = res["lcov"][next(iter(res["lcov"]))]["da"]
    assert int(root.get("lines-valid")) == len(da)
    assert int(root.get("lines-covered")) == sum(h > 0 for h in da.values())
    assert float(root.get("line-rate")) == round(int(root.get("lines-covered")) / len(da), 4)


def test_functional_merge_is_cocotb_coverage_summing_bins(tmp_path):
    from tools.regress.coverage import functional_summary, merge_functional

    def db(hits_a, hits_b):
        return {"g": {"coverage": 0, "size": 2, "cover_percentage": 0.0, "type": "CoverItem"},
                "g.p": {"at_least": 2, "weight": 1, "coverage": sum(h >= 2 for h in (hits_a, hits_b)), "size": 2,
                        "cover_percentage": 0.0, "bins:_hits": {"a": hits_a, "b": hits_b}, "type": "CoverPoint"}}
    files = []
    for i, (a, b) in enumerate(((1, 0), (1, 3))):
        files.append(tmp_path / f"c{i}.yml")
        files[-1].write_text(yaml.safe_dump(db(a, b)))
    merged = merge_functional(files, tmp_path / "merged.yml")
    assert merged == {"g.p": {"bins": {"a": 2, "b": 3}, "at_least": 2}}
    assert functional_summary(merged) == ({"g": 100.0, "g.p": 100.0}, 100.0)
    assert yaml.safe_load((tmp_path / "merged.yml").read_text())["g.p"]["cover_percentage"] == 100.0
