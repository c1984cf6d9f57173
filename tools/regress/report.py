"""summary.json and report.html of a regression.

The report shows results by testpoint (from regressions/testplan.yaml, with
testpoints that have no test flagged), pass/fail per test × simulator, the
failure buckets with their repro lines, and coverage per covergroup as bars.
"""

import html
import json
from pathlib import Path

import yaml

from tb.common.testbench import REPO
from tools.regress import rerun

TESTPLAN = REPO / "regressions" / "testplan.yaml"


def load_testplan():
    if not TESTPLAN.exists():
        return []
    return (yaml.safe_load(TESTPLAN.read_text()) or {}).get("testpoints", [])


def per_test(results):
    """{(test, sim): [passed, total]}"""
    table = {}
    for r in results:
        cell = table.setdefault((r.test, r.sim), [0, 0])
        cell[0] += r.status == "pass"
        cell[1] += 1
    return table


GOAL_METRICS = ("line", "branch", "toggle", "functional_per_covergroup")


def goal_error(goals):
    """Why a regression list's `goals` mapping is malformed, or None."""
    if goals is None:
        return None
    if not isinstance(goals, dict):
        return "'goals' must map a metric to a percentage"
    for metric, goal in goals.items():
        if metric not in GOAL_METRICS:
            return f"unknown coverage goal '{metric}' (known: {', '.join(GOAL_METRICS)})"
        if not isinstance(goal, (int, float)) or not 0 <= goal <= 100:
            return f"goal '{metric}' must be a percentage, not {goal!r}"
    return None


def check_goals(goals, code, functional_groups):
    """The regression list's coverage goals against the numbers:
    [{'metric', 'goal', 'met', 'detail'}]. `functional_per_covergroup` holds
    for every coverpoint and cross (names with a dot), not only on average."""
    out = []
    for metric, goal in (goals or {}).items():
        if metric in ("line", "branch", "toggle"):
            value = code.get(metric)
            met = value is not None and value >= goal
            detail = "not collected" if value is None else f"{value:.2f}%"
        else:  # functional_per_covergroup (goal_error() refused anything else)
            items = {k: v for k, v in functional_groups.items() if "." in k}
            below = sorted(k for k, v in items.items() if v < goal)
            met = bool(items) and not below
            detail = (f"{len(items)} covergroups, all at or above" if met else
                      "no functional coverage" if not items else
                      "below: " + ", ".join(f"{k} {items[k]:.1f}%" for k in below))
        out.append({"metric": metric, "goal": goal, "met": met, "detail": detail})
    return out


def efficiency(results):
    """Where the jobs' time went: Σ the simulations' own time (cocotb's per-test
    time) over Σ the jobs' wall time; the rest is process start, imports,
    build checks and coverage writing. Jobs that never ran count in neither."""
    ran = [r for r in results if r.status != "not_run"]
    sim = sum(r.sim_seconds for r in ran)
    job = sum(r.seconds for r in ran)
    return {"sim_seconds": round(sim, 1), "job_seconds": round(job, 1),
            "efficiency": round(sim / job, 3) if job > 0 else None}


def write_summary(path, name, results, wall, code, functional_overall, functional_groups, buckets, goals=()):
    passed = sum(r.status == "pass" for r in results)
    not_run = sum(r.status == "not_run" for r in results)
    summary = {
        "regression": name,
        "tests": len(results),
        "passed": passed,
        "failed": len(results) - passed - not_run,
        "not_run": not_run,  # their build failed (the bucket gives its reason)
        "line_coverage": code["line"],
        "branch_coverage": code["branch"],
        "toggle_coverage": code["toggle"],
        "functional_coverage": functional_overall,
        "functional_by_covergroup": functional_groups,
        "code_coverage_by_file": code.get("files", {}),
        "coverage_exclusions": code.get("exclusions", []),
        "goals": list(goals),
        "wall_seconds": round(wall, 1),
        **efficiency(results),
        "buckets": [{"message": msg, "count": len(rs), "repro": rs[0].repro, "log": rs[0].log}
                    for msg, rs in buckets],
    }
    Path(path).write_text(json.dumps(summary, indent=1))
    return summary


def _bar(pct):
    pct = 0.0 if pct is None else pct
    color = "#2a2" if pct >= 95 else "#d90" if pct >= 80 else "#c33"
    return (f'<div class="bar"><div style="width:{pct:.1f}%;background:{color}"></div>'
            f'<span>{pct:.1f}%</span></div>')


def write_html(path, summary, results, buckets, functional_groups, code_html):
    e = html.escape
    table = per_test(results)
    sims = sorted({s for _, s in table})
    tests = sorted({t for t, _ in table})
    out = [f"<!doctype html><meta charset=utf-8><title>regression {e(summary['regression'])}</title>",
           "<style>body{font:14px sans-serif;margin:2em}td,th{padding:2px 8px;border-bottom:1px solid #ddd}"
           ".pass{background:#dfd}.fail{background:#fdd}.none{background:#eee}"
           ".bar{position:relative;width:240px;height:14px;background:#eee}.bar div{height:14px}"
           ".bar span{position:absolute;left:4px;top:-1px;font-size:12px}code{font-size:12px}</style>",
           f"<h1>Regression <code>{e(summary['regression'])}</code></h1>",
           f"<p>{summary['passed']} of {summary['tests']} jobs passed, {summary['failed']} failed"
           + (f", {summary['not_run']} not run (their build failed)" if summary.get("not_run") else "") + "; "
           f"wall time {summary['wall_seconds']} s; the simulations took {summary['sim_seconds']} s "
           f"of {summary['job_seconds']} job-seconds (efficiency {summary['efficiency']}).</p>",
           "<h2>Coverage</h2><table>"]
    for label, key in (("line", "line_coverage"), ("branch", "branch_coverage"),
                       ("toggle", "toggle_coverage"), ("functional", "functional_coverage")):
        out.append(f"<tr><td>{label}</td><td>{_bar(summary[key]) if summary[key] is not None else 'not collected'}</td></tr>")
    out.append("</table>")
    if summary["goals"]:
        out.append("<h3>Goals</h3><table>")
        for g in summary["goals"]:
            out.append(f"<tr><td>{e(g['metric'])} &ge; {g['goal']}%</td>"
                       f"<td class={'pass' if g['met'] else 'fail'}>{'met' if g['met'] else 'missed'}</td>"
                       f"<td>{e(g['detail'])}</td></tr>")
        out.append("</table>")
    if summary["code_coverage_by_file"]:
        out.append("<h3>Code coverage by file</h3><table><tr><th>file</th><th>line</th><th>branch</th><th>toggle</th></tr>")
        for f, kinds in summary["code_coverage_by_file"].items():
            cells = "".join(f"<td>{h}/{t}" + (f" ({100.0 * h / t:.1f}%)" if t else "") + "</td>"
                            for h, t in (kinds[k] for k in ("line", "branch", "toggle")))
            out.append(f"<tr><td><code>{e(f)}</code></td>{cells}</tr>")
        out.append("</table>")
    if summary["coverage_exclusions"]:
        out.append("<h3>Coverage exclusions</h3><p>From <code>regressions/coverage_exclusions.yaml</code>; "
                   "stale ones are not applied.</p><table><tr><th>file</th><th>text</th><th>kinds</th>"
                   "<th>points</th><th>status</th><th>reason</th></tr>")
        for x in summary["coverage_exclusions"]:
            cls = "pass" if x["status"] == "applied" else "fail"
            out.append(f"<tr><td><code>{e(x['file'])}</code></td><td><code>{e(x['match'])}</code></td>"
                       f"<td>{e(', '.join(x['kinds']))}</td><td>{x['points']}</td>"
                       f"<td class={cls}>{e(x['status'])}</td><td>{e(x['reason'])}</td></tr>")
        out.append("</table>")
    if code_html:
        out.append(f'<p><a href="{e(code_html)}">code coverage pages (genhtml)</a>; '
                   '<a href="code_coverage/cobertura.xml">Cobertura XML</a>, '
                   '<a href="code_coverage/merged.info">lcov tracefile</a></p>')
    out.append("<h3>Functional coverage by covergroup</h3><table>")
    for name, pct in sorted(functional_groups.items()):
        out.append(f"<tr><td><code>{e(name)}</code></td><td>{_bar(pct)}</td></tr>")
    out.append("</table><h2>Testplan</h2><table><tr><th>testpoint</th><th>spec</th><th>tests</th><th>result</th><th>covergroups</th></tr>")
    for tp in load_testplan():
        tp_tests = tp.get("tests", [])
        ran = [r for r in results if r.test in tp_tests]
        if not tp_tests:
            res, cls = "NO TEST", "fail"
        elif not ran:
            res, cls = "not in this regression", "none"
        else:
            ok = sum(r.status == "pass" for r in ran)
            res, cls = f"{ok}/{len(ran)} passed", "pass" if ok == len(ran) else "fail"
        cgs = ", ".join(f"{e(c)} {functional_groups.get(c, 0):.0f}%" for c in tp.get("covergroups", []))
        out.append(f"<tr><td>{e(tp['name'])}</td><td>{e(tp.get('spec', ''))}</td>"
                   f"<td>{e(', '.join(tp_tests))}</td><td class={cls}>{res}</td><td>{cgs}</td></tr>")
    out.append("</table><h2>Results per test and simulator</h2><table><tr><th>test</th>"
               + "".join(f"<th>{e(s)}</th>" for s in sims) + "</tr>")
    for t in tests:
        row = [f"<td>{e(t)}</td>"]
        for s in sims:
            if (t, s) in table:
                ok, n = table[(t, s)]
                row.append(f"<td class={'pass' if ok == n else 'fail'}>{ok}/{n}</td>")
            else:
                row.append("<td class=none>-</td>")
        out.append("<tr>" + "".join(row) + "</tr>")
    out.append("</table><h2>Time per job</h2><table><tr><th>job</th><th>status</th>"
               "<th>simulation s</th><th>job s</th></tr>")
    for r in sorted(results, key=lambda r: -r.seconds):
        out.append(f"<tr><td><code>{e(r.name)}</code></td><td>{e(r.status)}</td>"
                   f"<td>{r.sim_seconds:.2f}</td><td>{r.seconds:.2f}</td></tr>")
    out.append("</table><h2>Failure buckets</h2>")
    if not buckets:
        out.append("<p>none</p>")
    for msg, rs in buckets:
        out.append(f"<h3>{len(rs)} × <code>{e(msg)}</code></h3><ul>")
        for r in rs:
            waves = rerun.waves_of(r)
            link = f", <a href=\"{e(str(waves))}\">waves (FST)</a>" if waves else ""
            out.append(f"<li><code>{e(r.repro)}</code> — {e(r.status)}: {e(r.message)} "
                       f"(<a href=\"{e(r.log)}\">log</a>{link})</li>")
        out.append("</ul>")
    Path(path).write_text("\n".join(out))
