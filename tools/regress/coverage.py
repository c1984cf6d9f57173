"""Functional coverage merged across the jobs that passed (failing jobs'
coverage is thrown away, as their stimulus may have stopped anywhere): the
jobs' cocotb-coverage YAML files are merged by cocotb-coverage's own
`merge_coverage` (bins summed); a covergroup's number is the share of its
bins hit at least `at_least` times (every coverpoint has weight 1, so this is
cocotb-coverage's cover_percentage too). Code coverage is code_coverage.py's.
"""

import tempfile
from pathlib import Path

import yaml
from cocotb_coverage.coverage import merge_coverage


def merge_functional(files, merged_path=None):
    """{coverpoint or cross name: {'bins': {bin: hits}, 'at_least': n}};
    the merged cocotb-coverage database is written to `merged_path` (default:
    a temporary file)."""
    files = [str(f) for f in files]
    if not files:
        return {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(merged_path) if merged_path else Path(tmp) / "merged.yml"
        merge_coverage(lambda _msg: None, str(out), *files)
        data = yaml.safe_load(out.read_text()) or {}
    merged = {}
    for name, item in data.items():
        bins = item.get("bins:_hits")
        if bins is None:
            continue  # a covergroup node: recomputed from its items below
        merged[name] = {"bins": {str(b): int(h) for b, h in bins.items()}, "at_least": item.get("at_least", 1)}
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
