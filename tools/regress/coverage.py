"""Functional coverage merged across the jobs that passed (failing jobs'
coverage is thrown away, as their stimulus may have stopped anywhere): each
job's cocotb-coverage YAML; bins are summed, and a covergroup's number is the
share of its bins hit at least `at_least` times. Code coverage is
code_coverage.py's.
"""

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
