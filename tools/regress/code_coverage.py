"""Verilator code coverage of a regression: merge, score, exclude, render.

Each passing job's coverage.dat is merged with `verilator_coverage -write`;
the merged points are then scored here rather than through
`verilator_coverage -write-info`, because that writer files every toggle
point as an lcov branch, so its "branch" number is mostly toggles.

Scoring is per module, not per instance: a point (file, line, column,
kind, comment) counts as hit when any instance in any bench hit it. That is
block-level closure: the engine bench exercises vsq_engine's refusal paths
that the top bench can never reach (the top's own check refuses first), and
both count.

- line: Verilator's statement-block points, reported per source line (a line
  is hit when every block that spans it was hit; genhtml shows these lines);
- branch: Verilator's branch points (if/else arms, case items, ?: arms);
- toggle: each bit's 0->1 and 1->0 (reported, no goal).

Holes that cannot or need not be closed are listed in
regressions/coverage_exclusions.yaml with a reason; an exclusion anchors on
source text (`match`), not on a line number, so it follows edits of the RTL.
An exclusion whose text is gone, or whose points were hit after all, is
reported as stale instead of being applied silently.
"""

import re
import shutil
import subprocess
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from tools.regress.cobertura import write_cobertura

KINDS = ("line", "branch", "toggle")
_FIELD = re.compile(r"\x01([a-zA-Z]+)\x02([^\x01']*)")
_COUNT = re.compile(r"' (\d+)\s*$")


class ExclusionError(Exception):
    """A malformed exclusions file: reported as one line by the runner."""


@dataclass(frozen=True)
class Exclusion:
    file: str           # file name under rtl/
    match: str          # text on the first excluded line
    span: int           # number of lines from the match
    kinds: tuple        # which kinds of points it removes
    comment: str        # regex on the point's comment ('' = any): the arm of a
                        # branch (if, else, cond_then, ...) or the toggled bit
    reason: str


def load_exclusions(path):
    """The exclusions of `path` (missing file: none)."""
    path = Path(path)
    if not path.exists():
        return []
    entries = (yaml.safe_load(path.read_text()) or {}).get("exclusions") or []
    out = []
    for i, e in enumerate(entries):
        for key in ("file", "match", "reason"):
            if not isinstance(e.get(key), str) or not e[key].strip():
                raise ExclusionError(f"{path.name}: exclusion {i + 1} needs a non-empty '{key}'")
        kinds = tuple(e.get("kinds", ["line", "branch"]))
        if any(k not in KINDS for k in kinds):
            raise ExclusionError(f"{path.name}: exclusion {i + 1}: kinds must be among {', '.join(KINDS)}")
        out.append(Exclusion(e["file"], e["match"], int(e.get("span", 1)), kinds,
                             e.get("comment", ""), " ".join(e["reason"].split())))
    return out


def _read_points(merged_dat):
    """{(kind, file, line, column, comment): [hits, source lines]} over all instances."""
    points = {}
    for raw in Path(merged_dat).read_text(errors="replace").splitlines():
        if not raw.startswith("C '"):
            continue
        f = dict(_FIELD.findall(raw))
        kind = f.get("page", "").split("/")[0].removeprefix("v_")
        if kind not in KINDS:
            continue
        line = int(f["l"])
        key = (kind, f["f"], line, f.get("n", ""), f.get("o", ""))
        p = points.setdefault(key, [0, _span(f.get("S", str(line)))])
        p[0] += int(_COUNT.search(raw).group(1))
    return points


def _span(text):
    """The lines of a point's source span: "68-70", or a list such as "221,232,243-250"."""
    lines = set()
    for part in text.split(","):
        first, _, last = part.partition("-")
        if first.isdigit():
            lines.update(range(int(first), int(last if last.isdigit() else first) + 1))
    return lines


def _excluded_lines(excl, rtl_dir):
    """The (absolute file, line numbers) an exclusion covers; None when its text is gone."""
    src = Path(rtl_dir) / excl.file
    if not src.exists():
        return None
    lines = src.read_text().splitlines()
    starts = [i + 1 for i, text in enumerate(lines) if excl.match in text]
    if not starts:
        return None
    return str(src.resolve()), {s + d for s in starts for d in range(excl.span)}


def score(merged_dat, rtl_dir, exclusions):
    """Scores of the design's points. Returns {'line','branch','toggle': percent
    or None, 'files': {name: {kind: [hit, total]}}, 'exclusions': [...],
    'lcov': {file: {'da': {line: hits}, 'brda': [(line, hits)]}}}."""
    rtl = str(Path(rtl_dir).resolve())
    points = {k: v for k, v in _read_points(merged_dat).items()
              if str(Path(k[1]).resolve()).startswith(rtl)}
    applied = []
    removed = set()
    for ex in exclusions:
        where = _excluded_lines(ex, rtl_dir)
        hit = matched = 0
        if where is not None:
            fname, lines = where
            comment = re.compile(ex.comment)
            mine = [key for key in points
                    if key[0] in ex.kinds and key[2] in lines and str(Path(key[1]).resolve()) == fname
                    and comment.search(key[4])]
            matched = len(mine)
            hit = sum(points[key][0] > 0 for key in mine)
            if matched and not hit:  # a hit point means the reason no longer holds
                removed.update(mine)
        status = ("stale: text not found" if where is None else "stale: no coverage point there"
                  if matched == 0 else f"stale: {hit} of its points were hit" if hit else "applied")
        applied.append({"file": ex.file, "match": ex.match, "kinds": list(ex.kinds),
                        "points": matched, "status": status, "reason": ex.reason})
    kept = {k: v for k, v in points.items() if k not in removed}

    files = defaultdict(lambda: {k: [0, 0] for k in KINDS})
    lcov = defaultdict(lambda: {"da": {}, "brda": []})
    for (kind, f, line, _, _), (hits, span) in sorted(kept.items()):
        name = Path(f).name
        if kind == "line":
            da = lcov[f]["da"]
            for n in span:  # a line is as covered as its least-hit block
                da[n] = min(da.get(n, hits), hits)
        else:
            files[name][kind][0] += hits > 0
            files[name][kind][1] += 1
            if kind == "branch":
                lcov[f]["brda"].append((line, hits))
    for f, rec in lcov.items():
        files[Path(f).name]["line"] = [sum(h > 0 for h in rec["da"].values()), len(rec["da"])]
    pct = {}
    for kind in KINDS:
        h = sum(v[kind][0] for v in files.values())
        t = sum(v[kind][1] for v in files.values())
        pct[kind] = round(100.0 * h / t, 2) if t else None
    return {**pct, "files": dict(sorted(files.items())), "exclusions": applied, "lcov": dict(lcov)}


def write_lcov(lcov, path):
    """An lcov tracefile with lines (DA) and real branches (BRDA) only."""
    out = ["TN:"]
    for f, rec in sorted(lcov.items()):
        out.append(f"SF:{f}")
        for i, (line, hits) in enumerate(rec["brda"]):
            out.append(f"BRDA:{line},0,{i},{hits if hits else '-'}")
        out.append(f"BRF:{len(rec['brda'])}\nBRH:{sum(h > 0 for _, h in rec['brda'])}")
        for line, hits in sorted(rec["da"].items()):
            out.append(f"DA:{line},{hits}")
        out.append(f"LF:{len(rec['da'])}\nLH:{sum(h > 0 for h in rec['da'].values())}\nend_of_record")
    Path(path).write_text("\n".join(out) + "\n")


def not_scored():
    """The result when there is no code coverage to score."""
    return {"line": None, "branch": None, "toggle": None, "files": {}, "exclusions": []}


def merge_code(dat_files, out_dir, rtl_dir, exclusions_file):
    """Merge the jobs' coverage.dat files into out_dir and score them; writes
    out_dir/merged.dat, merged.info (lcov), cobertura.xml and html/ (genhtml). Returns score()'s
    dict, with None percentages when there is no data."""
    out_dir = Path(out_dir)
    dat_files = [str(f) for f in dat_files if Path(f).exists()]
    tool = shutil.which("verilator_coverage")
    if not dat_files or tool is None:
        return not_scored()
    out_dir.mkdir(parents=True, exist_ok=True)
    merged = out_dir / "merged.dat"
    subprocess.run([tool, "-write", str(merged), *dat_files], check=True, capture_output=True)
    result = score(merged, rtl_dir, load_exclusions(exclusions_file))
    info = out_dir / "merged.info"
    lcov = result.pop("lcov")
    write_lcov(lcov, info)
    write_cobertura(lcov, out_dir / "cobertura.xml", Path(rtl_dir).resolve().parent)
    if shutil.which("genhtml"):
        subprocess.run(["genhtml", "--branch-coverage", "-q", "-o", str(out_dir / "html"), str(info)],
                       capture_output=True)
    return result
