"""summary.json and report.html of a mutation campaign.

score = (killed + timeout) / (mutants - equivalent - no_build), over the
mutants that have a result. `score_smoke` counts only the kills of the elab
(parameter guards: tests/sim/test_param_guards.py, part of make test), own
and smoke tiers (what smoke and make test alone would catch); `score` is by the campaign's
depth (nightly by default). A survivor is equivalent (with its proof), or
accepted (regressions/mutation_survivors.yaml, with its reason), or a hole.
"""

import html
import json
import statistics
from pathlib import Path

from tools.mutate import mutants as M
from tools.mutate.plan import SMOKE_TIERS

CLASSES = ("killed", "timeout", "survived", "equivalent", "no_build")


def _counts(items):
    c = {k: 0 for k in CLASSES}
    smoke_kills = 0
    for mu, r in items:
        cls = klass(r)
        c[cls] += 1
        smoke_kills += cls in ("killed", "timeout") and r.get("tier") in SMOKE_TIERS
    # `survived` counts the non-equivalent survivors; `equivalent` the proven ones.
    denom = len(items) - c["equivalent"] - c["no_build"]
    c["mutants"] = len(items)
    c["score"] = round((c["killed"] + c["timeout"]) / denom, 4) if denom else None
    c["score_smoke"] = round(smoke_kills / denom, 4) if denom else None
    return c


def klass(r):
    if r["status"] == "survived" and (r.get("proof") or {}).get("equivalent"):
        return "equivalent"
    return r["status"] if r["status"] in CLASSES else "no_build"


def write(out, picked, results, accepted_entries, plans, untested, args, wall):
    accepted, entries = accepted_entries
    items = [(mu, results[mu.id]) for mu in picked if mu.id in results]
    summary = {"seed": args.seed, "depth": args.depth, "sim": args.sim, "sampled": len(picked),
               "pending": len(picked) - len(items), **_counts(items)}
    modules = sorted({mu.module for mu, _ in items})
    summary["modules"] = {m: _counts([(mu, r) for mu, r in items if mu.module == m]) for m in modules}
    summary["by_operator"] = {op: _counts([(mu, r) for mu, r in items if mu.op == op])
                              for op in M.OPS if any(mu.op == op for mu, _ in items)}
    secs = [r["seconds"] for _, r in items]
    summary["seconds_per_mutant"] = {"mean": round(statistics.mean(secs), 1) if secs else None,
                                     "median": round(statistics.median(secs), 1) if secs else None,
                                     "total": round(sum(secs), 1)}
    summary["wall_seconds"] = round(wall, 1)
    summary["untested_modules"] = untested
    surv = []
    for mu, r in items:
        if r["status"] != "survived":
            continue
        proof = r.get("proof")
        entry = accepted.get(mu.id)
        surv.append({"id": mu.id, "module": mu.module, "where": f"rtl/{mu.file}:{mu.line}", "op": mu.op,
                     "detail": mu.detail, "diff": M.diff(mu),
                     "tests_survived": [t["name"] for t in r["tests_run"]],
                     "proof": proof, "status": "equivalent" if proof and proof.get("equivalent")
                     else "accepted" if entry else "hole",
                     "reason": entry["reason"].strip() if entry else None})
    summary["survivors"] = surv
    summary["holes"] = sum(s["status"] == "hole" for s in surv)
    summary["survivors_file"] = [{k: e[k] for k in ("file", "match", "status", "uses")} for e in entries]
    summary["killed_by"] = [{"id": mu.id, "where": f"rtl/{mu.file}:{mu.line}", "detail": mu.detail,
                             "class": klass(r), "tier": r.get("tier"), "test": r.get("test"),
                             "message": r.get("message", ""), "repro": r.get("repro")}
                            for mu, r in items if r["status"] in ("killed", "timeout", "no_build")]
    Path(out / "summary.json").write_text(json.dumps(summary, indent=1))
    Path(out / "report.html").write_text(_html(summary))
    return summary


def _pct(v):
    return "n/a" if v is None else f"{100 * v:.1f}%"


def _html(s):
    e = html.escape
    out = ["<!doctype html><meta charset=utf-8><title>mutation campaign</title>",
           "<style>body{font:14px sans-serif;margin:2em}td,th{padding:2px 8px;border-bottom:1px solid #ddd;"
           "vertical-align:top}pre{margin:0;font-size:12px}.hole{background:#fdd}.ok{background:#dfd}</style>",
           f"<h1>Mutation campaign</h1><p>{s['mutants']} mutants (seed {s['seed']}, depth {s['depth']}, "
           f"{e(s['sim'])}; {s['pending']} pending): {s['killed']} killed, {s['timeout']} timeout, "
           f"{s['survived']} survived, {s['equivalent']} equivalent, {s['no_build']} no build. "
           f"<b>score {_pct(s['score'])}</b> (smoke alone {_pct(s['score_smoke'])}); {s['holes']} holes. "
           f"Per mutant {s['seconds_per_mutant']['mean']} s mean, {s['seconds_per_mutant']['median']} s median; "
           f"wall {s['wall_seconds']} s.</p>"]
    for title, rows in (("Per module", s["modules"]), ("Per operator", s["by_operator"])):
        out.append(f"<h2>{title}</h2><table><tr><th></th><th>mutants</th>"
                   + "".join(f"<th>{c}</th>" for c in CLASSES) + "<th>score</th><th>smoke</th></tr>")
        for name, c in rows.items():
            out.append(f"<tr><td>{e(name)}</td><td>{c['mutants']}</td>"
                       + "".join(f"<td>{c[k]}</td>" for k in CLASSES)
                       + f"<td>{_pct(c['score'])}</td><td>{_pct(c['score_smoke'])}</td></tr>")
        out.append("</table>")
    out.append("<h2>Survivors</h2><table><tr><th>where</th><th>diff</th><th>status</th><th>proof / reason</th>"
               "<th>tests survived</th></tr>")
    for v in s["survivors"]:
        cls = "hole" if v["status"] == "hole" else "ok"
        why = v["reason"] or (f"{v['proof']['result']}: {v['proof']['detail']}" if v["proof"] else "not checked")
        out.append(f"<tr class={cls}><td>{e(v['where'])}<br>{e(v['op'])}: {e(v['detail'])}</td>"
                   f"<td><pre>{e(v['diff'])}</pre></td><td>{v['status']}</td><td>{e(why)}</td>"
                   f"<td>{len(v['tests_survived'])}: {e(', '.join(v['tests_survived'][:12]))}"
                   f"{' ...' if len(v['tests_survived']) > 12 else ''}</td></tr>")
    out.append("</table><h2>Survivors file</h2><table><tr><th>file</th><th>match</th><th>status</th><th>uses</th></tr>")
    for x in s["survivors_file"]:
        out.append(f"<tr><td>{e(x['file'])}</td><td><code>{e(x['match'])}</code></td><td>{e(x['status'])}</td>"
                   f"<td>{x['uses']}</td></tr>")
    out.append("</table><h2>Killed, timeout, no build</h2><table><tr><th>where</th><th>class</th><th>tier</th>"
               "<th>test</th><th>first message</th></tr>")
    for k in s["killed_by"]:
        out.append(f"<tr><td>{e(k['where'])}<br>{e(k['detail'])}</td><td>{k['class']}</td><td>{e(str(k['tier']))}"
                   f"</td><td>{e(str(k['test']))}</td><td>{e(k['message'][:300])}</td></tr>")
    out.append("</table>")
    return "\n".join(out)


def console(s):
    lines = [f"{'module':20s} {'mutants':>7s} {'killed':>6s} {'timeout':>7s} {'surv':>5s} {'equiv':>5s} "
             f"{'nobuild':>7s} {'score':>7s} {'smoke':>7s}"]
    for m, c in list(s["modules"].items()) + [("all", s)]:
        lines.append(f"{m:20s} {c['mutants']:7d} {c['killed']:6d} {c['timeout']:7d} {c['survived']:5d} "
                     f"{c['equivalent']:5d} {c['no_build']:7d} {_pct(c['score']):>7s} {_pct(c['score_smoke']):>7s}")
    for v in s["survivors"]:
        if v["status"] == "hole":
            lines.append(f"hole: {v['where']} {v['op']}: {v['detail']}")
    for x in s["survivors_file"]:
        if x["status"] != "current":
            lines.append(f"survivors file: {x['file']} '{x['match']}': {x['status']}")
    lines.append(f"{s['pending']} pending" if s["pending"] else "")
    return "\n".join(ln for ln in lines if ln)
