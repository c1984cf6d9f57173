"""Merging coverage across the jobs that passed (failing jobs' coverage is
thrown away, as their stimulus may have stopped anywhere).

Functional: each job's cocotb-coverage YAML; bins are summed, and a
covergroup's number is the share of its bins hit at least `at_least` times.
Code: Verilator's per-job coverage.dat merged with verilator_coverage, turned
into lcov info and rendered by genhtml; line, branch and toggle numbers come
from the merged data.
"""

import re
import shutil
import subprocess
from pathlib import Path

import yaml


def merge_functional(files):
    """{coverpoint or cross name: {'bins': {bin: hits}, 'at_least': n}}."""
    merged = {}
    for f in files:
        data = yaml.safe_load(Path(f).read_text()) or {}
        for name, item in data.items():
            bins = item.get("bins:_hits")
            if bins is None:
                continue  # a covergroup node: recomputed from its items below
            m = merged.setdefault(name, {"bins": {}, "at_least": item.get("at_least", 1)})
            for b, hits in bins.items():
                m["bins"][str(b)] = m["bins"].get(str(b), 0) + int(hits)
    return merged


def functional_summary(merged):
    """{covergroup: percent} per top-level group and per item, and the overall."""
    items = {}
    for name, m in merged.items():
        total = len(m["bins"])
        hit = sum(1 for h in m["bins"].values() if h >= m["at_least"])
        items[name] = (hit, total)
    groups = {}
    for name, (hit, total) in items.items():
        g = name.split(".")[0]
        gh, gt = groups.get(g, (0, 0))
        groups[g] = (gh + hit, gt + total)
    pct = {k: round(100.0 * h / t, 2) if t else 100.0 for k, (h, t) in {**groups, **items}.items()}
    all_hit = sum(h for h, _ in items.values())
    all_total = sum(t for _, t in items.values())
    overall = round(100.0 * all_hit / all_total, 2) if all_total else None
    return pct, overall


def merge_code(dat_files, out_dir, rtl_dir):
    """Merge Verilator coverage; returns {'line','branch','toggle'} percents
    (None when there is no data) and writes out_dir/html/index.html."""
    out_dir = Path(out_dir)
    none = {"line": None, "branch": None, "toggle": None}
    dat_files = [str(f) for f in dat_files if Path(f).exists()]
    tool = shutil.which("verilator_coverage")
    if not dat_files or tool is None:
        return none
    out_dir.mkdir(parents=True, exist_ok=True)
    merged = out_dir / "merged.dat"
    info = out_dir / "merged.info"
    subprocess.run([tool, "-write", str(merged), *dat_files], check=True, capture_output=True)
    subprocess.run([tool, "-write-info", str(info), str(merged)], check=True, capture_output=True)
    # Only the design: drop anything outside rtl/ (the testbench has no HDL, but be explicit).
    _keep_only(info, Path(rtl_dir).resolve())
    numbers = _info_numbers(info)
    numbers["toggle"] = _toggle_percent(merged)
    if shutil.which("genhtml"):
        subprocess.run(["genhtml", "--branch-coverage", "-q", "-o", str(out_dir / "html"), str(info)],
                       capture_output=True)
    return numbers


def _keep_only(info, rtl_dir):
    out, keep = [], False
    for line in info.read_text().splitlines():
        if line.startswith("SF:"):
            keep = str(Path(line[3:]).resolve()).startswith(str(rtl_dir))
        if keep or line.startswith("TN:"):
            out.append(line)
    info.write_text("\n".join(out) + "\n")


def _info_numbers(info):
    lf = lh = brf = brh = 0
    for line in info.read_text().splitlines():
        key, _, val = line.partition(":")
        if key == "LF": lf += int(val)
        elif key == "LH": lh += int(val)
        elif key == "BRF": brf += int(val)
        elif key == "BRH": brh += int(val)
        elif key == "DA":
            pass
    if lf == 0:  # older writers leave out the summary lines: count DA records
        das = [l for l in info.read_text().splitlines() if l.startswith("DA:")]
        lf = len(das)
        lh = sum(1 for l in das if int(l.split(",")[1]) > 0)
    if brf == 0:
        brs = [l for l in info.read_text().splitlines() if l.startswith("BRDA:")]
        brf = len(brs)
        brh = sum(1 for l in brs if l.rsplit(",", 1)[1] not in ("-", "0"))
    pct = lambda h, f: round(100.0 * h / f, 2) if f else None
    return {"line": pct(lh, lf), "branch": pct(brh, brf)}


def _toggle_percent(merged_dat):
    """Share of toggle points hit, read from the merged coverage.dat."""
    total = hit = 0
    for line in Path(merged_dat).read_text(errors="replace").splitlines():
        if not line.startswith("C '") or "\x01page\x02v_toggle" not in line:
            continue
        m = re.search(r"' (\d+)\s*$", line)
        if m:
            total += 1
            hit += int(m.group(1)) > 0
    return round(100.0 * hit / total, 2) if total else None
