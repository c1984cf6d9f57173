"""Code coverage as Cobertura XML (what CI coverage viewers read), from the
same scored points as the lcov tracefile (code_coverage.score's 'lcov':
lines with their hits and real branches by line; a line with branches and no
line point, e.g. a continuous assignment's `?:`, shows its arms' hits;
toggles have no place in Cobertura and stay in the report and lcov/genhtml). One package per
directory, one class per file; filenames relative to `root`."""

import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path


def _rate(hit, total):
    return f"{hit / total:.4f}" if total else "1.0000"


def write_cobertura(lcov, path, root):
    root = Path(root).resolve()
    totals = [0, 0, 0, 0]  # lines hit, lines, branches hit, branches
    packages = defaultdict(list)
    for f, rec in sorted(lcov.items()):
        p = Path(f).resolve()
        rel = p.relative_to(root) if p.is_relative_to(root) else p
        packages[str(rel.parent)].append((rel, rec))
    cov = ET.Element("coverage", version="vsq-regress", timestamp=str(int(time.time())), complexity="0")
    ET.SubElement(ET.SubElement(cov, "sources"), "source").text = str(root)
    pkgs = ET.SubElement(cov, "packages")
    for pkg_name, files in sorted(packages.items()):
        pkg = ET.SubElement(pkgs, "package", name=pkg_name.replace("/", "."), complexity="0")
        classes = ET.SubElement(pkg, "classes")
        ptot = [0, 0, 0, 0]
        for rel, rec in files:
            branches = defaultdict(lambda: [0, 0])
            arm_hits = defaultdict(int)  # a line with branches but no line point: its arms' hits
            for line, hits in rec["brda"]:
                branches[line][0] += hits > 0
                branches[line][1] += 1
                arm_hits[line] += hits
            lines_hit = sum(h > 0 for h in rec["da"].values())
            b_hit = sum(h for h, _ in branches.values())
            b_tot = sum(t for _, t in branches.values())
            cls = ET.SubElement(classes, "class", name=rel.stem, filename=str(rel), complexity="0",
                                **{"line-rate": _rate(lines_hit, len(rec["da"])), "branch-rate": _rate(b_hit, b_tot)})
            ET.SubElement(cls, "methods")
            lines = ET.SubElement(cls, "lines")
            for n in sorted(set(rec["da"]) | set(branches)):
                attrs = {"number": str(n), "hits": str(rec["da"].get(n, arm_hits[n])), "branch": "false"}
                if n in branches:
                    h, t = branches[n]
                    attrs.update({"branch": "true", "condition-coverage": f"{round(100 * h / t)}% ({h}/{t})"})
                ET.SubElement(lines, "line", **attrs)
            for i, v in enumerate((lines_hit, len(rec["da"]), b_hit, b_tot)):
                ptot[i] += v
        pkg.set("line-rate", _rate(ptot[0], ptot[1]))
        pkg.set("branch-rate", _rate(ptot[2], ptot[3]))
        totals = [a + b for a, b in zip(totals, ptot)]
    cov.set("line-rate", _rate(totals[0], totals[1]))
    cov.set("branch-rate", _rate(totals[2], totals[3]))
    for name, v in zip(("lines-covered", "lines-valid", "branches-covered", "branches-valid"), totals):
        cov.set(name, str(v))
    ET.ElementTree(cov).write(path, encoding="utf-8", xml_declaration=True)
