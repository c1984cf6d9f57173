"""The regression's junit.xml: a testsuite per bench, a testcase per job,
keeping what cocotb recorded for the job's test (its results.xml testcase
properties: random_seed, file, line, sim times, attachments, and its
system-out `[[ATTACHMENT|...]]` lines), plus the job's own facts as
properties (sim, params, seed, repro, log and, when the failing job was
rerun with waves, the FST) so that CI dashboards show the seed, the
reproduction line and the waves of every failure."""

import xml.etree.ElementTree as ET
from pathlib import Path

from tools.regress import rerun


def cocotb_case(results_xml):
    """(properties [(name, value)], system-out text) of the first testcase of
    a cocotb results.xml; empty when it is missing or unreadable."""
    try:
        case = next(ET.parse(results_xml).getroot().iter("testcase"), None)
    except (OSError, ET.ParseError):
        return [], ""
    if case is None:
        return [], ""
    props = [(p.get("name"), p.get("value")) for p in case.iter("property")]
    out = case.find("system-out")
    return props, (out.text or "") if out is not None else ""


def merge_junit(results, path):
    root = ET.Element("testsuites")
    suites = {}
    for r in results:
        suite = suites.get(r.bench)
        if suite is None:
            suite = suites[r.bench] = ET.SubElement(root, "testsuite", name=r.bench)
        case = ET.SubElement(suite, "testcase", classname=f"{r.bench}.{r.sim}.{r.params}",
                             name=f"{r.test}[seed={r.seed}]", time=str(r.seconds))
        cocotb_props, system_out = cocotb_case(Path(r.directory) / "results.xml")
        waves = rerun.waves_of(r)
        props = ET.SubElement(case, "properties")
        own = [("seed", str(r.seed)), ("sim", r.sim), ("params", r.params), ("repro", r.repro), ("log", r.log),
               ("sim_seconds", str(r.sim_seconds)), ("job_seconds", str(r.seconds))]
        if waves:
            own += [("waves", str(waves)), ("attachment", str(waves))]
        for name, value in cocotb_props + own:
            ET.SubElement(props, "property", name=name, value=value)
        if r.status != "pass":
            fail = ET.SubElement(case, "failure", message=r.message, type=r.status)
            fail.text = f"reproduce: {r.repro}\nlog: {r.log}" + (f"\nwaves: {waves}" if waves else "")
        if waves:
            system_out += f"[[ATTACHMENT|{waves}]]\n"
        if system_out:
            ET.SubElement(case, "system-out").text = system_out
    for suite in suites.values():
        cases = list(suite)
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
