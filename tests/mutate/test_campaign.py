"""A tiny mutation campaign end to end (make mutate on 4 mutants of
vsq_sat_add, own bench only, Icarus): the original's baseline, the mutants
through the local launcher, results kept per mutant, an interrupted campaign
continued, summary.json and report.html. Keeps the machinery tested in CI."""

import json
import shutil

import pytest

from tools.mutate.__main__ import main
from tools.mutate.report import CLASSES

ARGS = ["--mutants", "4", "--modules", "vsq_sat_add", "--depth", "own", "--jobs", "2", "--seed", "3"]

pytestmark = pytest.mark.skipif(shutil.which("iverilog") is None, reason="Icarus not on PATH (make setup)")


def test_a_tiny_campaign_runs_reports_and_resumes(tmp_path, capsys):
    assert main(ARGS + ["--out", str(tmp_path)]) == 0
    s = json.loads((tmp_path / "summary.json").read_text())
    assert s["mutants"] == 4 and s["pending"] == 0
    assert sum(s[c] for c in CLASSES) == 4
    denom = s["mutants"] - s["equivalent"] - s["no_build"]
    assert s["score"] == (round((s["killed"] + s["timeout"]) / denom, 4) if denom else None)
    assert set(s["modules"]) == {"vsq_sat_add"}
    for k in s["killed_by"]:
        assert k["message"] and k["message"] != "no error message in the logs"
        if k["class"] != "no_build":
            assert k["tier"] == "own" and k["repro"].startswith(f"make sim TEST={k['test']} ")
    for v in s["survivors"]:
        assert v["tests_survived"] and v["diff"].startswith("--- rtl/vsq_sat_add.v:")
        assert v["status"] in ("equivalent", "accepted", "hole")
    assert "Mutation campaign" in (tmp_path / "report.html").read_text()

    # Resumable: nothing left to run; a lost result is run again, alone.
    capsys.readouterr()
    assert main(ARGS + ["--out", str(tmp_path)]) == 0
    assert "0 to run" in capsys.readouterr().out
    lost = sorted((tmp_path / "mutants").glob("*/result.json"))[0]
    lost.unlink()
    assert main(ARGS + ["--out", str(tmp_path)]) == 0
    assert "1 to run" in capsys.readouterr().out
    again = json.loads((tmp_path / "summary.json").read_text())
    assert {c: again[c] for c in CLASSES} == {c: s[c] for c in CLASSES}


def test_a_bad_request_is_one_line(capsys):
    assert main(["--modules", "vsq_nothing"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("mutate: unknown module vsq_nothing (known: ") and "\n" not in err
