"""regressions/mutation_survivors.yaml: surviving mutants accepted with a reason.

An entry anchors on source text, as the coverage exclusions do: `file` in
rtl/, `match` a substring of the mutated line's original text, optionally
`detail` a substring of the mutant's description (e.g. "forced 1'b0"), and its
`reason`. A non-equivalent survivor that an entry matches is listed as
accepted, not as a verification hole. An entry whose text is no longer in its
file is stale (reported, and matches nothing).
"""

import yaml

from tb.common.testbench import REPO

FILE = REPO / "regressions" / "mutation_survivors.yaml"
KEYS = {"file", "match", "detail", "reason"}


class SurvivorsError(Exception):
    """A malformed survivors file: one line."""


def load(path=FILE):
    if not path.exists():
        return []
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as exc:
        raise SurvivorsError(f"{path.name}: not valid YAML ({str(exc).splitlines()[0]})") from None
    entries = data.get("survivors", []) or []
    for i, e in enumerate(entries):
        if not isinstance(e, dict) or set(e) - KEYS or not {"file", "match", "reason"} <= set(e):
            raise SurvivorsError(f"{path.name} entry {i + 1}: needs file, match, reason (and optionally detail)")
    return entries


def status(entry, rtl=REPO / "rtl"):
    f = rtl / entry["file"]
    if not f.exists():
        return f"stale: rtl/{entry['file']} not found"
    if entry["match"] not in f.read_text():
        return "stale: text not found"
    return "current"


def matches(entry, mutant):
    return (entry["file"] == mutant.file and entry["match"] in mutant.original
            and entry.get("detail", "") in mutant.detail)


def load_and_match(picked, results, path=FILE):
    """({mutant id: entry} for the survivors an entry accepts, [entry with status and uses])."""
    entries = [dict(e) for e in load(path)]
    for e in entries:
        e["status"] = status(e)
        e["uses"] = 0
    accepted = {}
    for mu in picked:
        r = results.get(mu.id)
        if not r or r["status"] != "survived" or (r.get("proof") or {}).get("equivalent"):
            continue
        for e in entries:
            if e["status"] == "current" and matches(e, mu):
                accepted[mu.id] = e
                e["uses"] += 1
                break
    return accepted, entries
