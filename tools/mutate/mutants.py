"""Source-level mutants of the RTL, generated from the text of rtl/ at run time.

A mutant changes one line of one file. The operators (OPS):
  arith    binary + <-> -, << <-> >>
  logic    && <-> ||, binary & <-> |, ^ -> |, a unary ~ or ! dropped
  compare  == <-> !=, < <-> <=, > <-> >= (a `<=` that assigns is left alone)
  const    a sized literal +1, -1, its lowest and highest bit flipped; a bare
           decimal in an expression +1, -1
  cond     an `if (...)` condition or a `?:` condition forced to 1'b1 / 1'b0
           (not a condition on parameters alone: that is the configuration)
  drop     a one-line assignment removed (procedural, `assign`, `wire x = ..`)
  swap     the right-hand sides of two consecutive procedural assignments swapped
  stuck    an internal wire's driver replaced by all-zeros / all-ones
Comments are never mutated; nor are declarations' ranges, module headers,
the `unused` lint sinks or the assertions (everything between `ifdef
VSQ_ASSERT and its `endif): an assertion is a check, not behaviour. A mutated
one can only weaken a check (no test can tell) or make it fire on a correct
design (a false kill), so neither says anything about the tests. The
assertions are measured by the formal proofs, and by the design mutants
they catch (a mutant an assertion fails counts as killed). A mutant's id hashes the file's text, the line and the
new line, so a result kept on disk belongs to exactly that version of the file
(a changed file gets new mutants; the old results are ignored, never reused).
Sampling is reproducible from a seed: modules get mutants in proportion to
their size (code lines), at least one each, then each module's sample is drawn
from its sorted candidates.
"""

import hashlib
import random
import re
from dataclasses import asdict, dataclass

OPS = ("arith", "logic", "compare", "const", "cond", "drop", "swap", "stuck")
DECL = re.compile(r"^\s*(input|output|inout|parameter|localparam|module|integer|genvar|function|"
                  r"endfunction|endmodule|reg|wire)\b")
SIZED = re.compile(r"(\d+)'([sS]?)([bBdDhH])([0-9a-fA-F_]+)\b")
BARE = re.compile(r"(?<![\w'.$])(\d+)(?![\w'.])")
ASSIGN_STMT = re.compile(r"^(\s*(?:(?:else|begin)\s+)*)([A-Za-z_][\w\[\]:+\-*\s]*?)\s*(<=|=)\s*([^;]+);\s*$")
CONT_ASSIGN = re.compile(r"^(\s*)assign\s+([A-Za-z_]\w*)\s*(\[[^\]]*\])?\s*=\s*([^;]+);\s*$")
WIRE_INIT = re.compile(r"^(\s*)wire\s+(?:signed\s+)?(\[[^\]]*\]\s*)?([A-Za-z_]\w*)\s*=\s*([^;]+);\s*$")
PORT = re.compile(r"^\s*(?:input|output|inout)\b[^;]*?([A-Za-z_]\w*)\s*[,;)]?\s*$")


@dataclass(frozen=True)
class Mutant:
    id: str
    module: str
    file: str  # name in rtl/
    line: int  # 1-based, in the file as it was read
    op: str
    original: str  # the line's text (two lines, joined by a newline, for a swap)
    mutated: str  # its replacement
    detail: str  # what changed, e.g. "+ -> -"

    def to_json(self):
        return asdict(self)


GUARD = re.compile(r"\bbegin\s*:\s*g_bad")


def is_guard(mutant):
    """A mutant of a parameter guard (`if (...) begin : g_bad*`): it can only
    show at elaboration, which tests/sim/test_param_guards.py checks."""
    return bool(GUARD.search(mutant.original))


COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/|\"[^\"\n]*\"", re.DOTALL)


def strip_comments(text):
    """The text with comments and strings blanked (same length and lines)."""
    return COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


def _expr_start(code):
    """Where a line's expression part starts: after the `=` of a declaration
    with an initializer, 0 for statements, None for pure declarations."""
    if DECL.match(code):
        if re.match(r"^\s*(wire|reg)\b", code) and "=" in code:
            return code.index("=") + 1
        return None
    return 0


def _binary(code, i):
    """Is the operator at i binary (a value before it)?"""
    before = code[:i].rstrip()
    return bool(before) and (before[-1].isalnum() or before[-1] in ")]}_'")


def _is_assign_le(code, i):
    """Is the `<=` at i a nonblocking assignment (not a comparison)?"""
    before = code[:i]
    if before.count("(") != before.count(")") or "?" in before:
        return False
    tail = before[before.rfind(")") + 1:] if ")" in before else before
    return "=" not in tail and re.search(r"[A-Za-z_][\w\[\]:]*\s*$", tail) is not None


def _ops_in(code, start):
    """(col, old, new, op, detail) for operator/constant mutants of one line."""
    out = []
    seg = code[start:]

    def add(m_start, old, new, op):
        out.append((start + m_start, old, new, op, f"{old} -> {new}"))

    for m in re.finditer(r"&&|\|\||==|!=|<=|>=|<<|>>>|>>|[+\-&|^<>~!]", seg):
        tok, p = m.group(), m.start()
        absolute = start + p
        if tok in ("&&", "||"):
            add(p, tok, "||" if tok == "&&" else "&&", "logic")
        elif tok in ("==", "!="):
            add(p, tok, "!=" if tok == "==" else "==", "compare")
        elif tok == "<=":
            if not _is_assign_le(code, absolute):
                add(p, tok, "<", "compare")
        elif tok == ">=":
            add(p, tok, ">", "compare")
        elif tok in ("<", ">"):
            add(p, tok, tok + "=", "compare")
        elif tok in ("<<", ">>"):
            add(p, tok, ">>" if tok == "<<" else "<<", "arith")
        elif tok in ("+", "-") and _binary(code, absolute) and code[absolute + 1:absolute + 2] != ":":
            add(p, tok, "-" if tok == "+" else "+", "arith")
        elif tok in ("&", "|") and _binary(code, absolute):
            add(p, tok, "|" if tok == "&" else "&", "logic")
        elif tok == "^" and _binary(code, absolute):
            add(p, tok, "|", "logic")
        elif tok in ("~", "!") and not _binary(code, absolute) and code[absolute + 1:absolute + 2] not in "=&|^":
            add(p, tok, "", "logic")
    for m in SIZED.finditer(seg):
        width, signed, base, digits = m.groups()
        if not digits.replace("_", "") or int(width) > 64:
            continue
        w, radix = int(width), {"b": 2, "d": 10, "h": 16}[base.lower()]
        v, mask = int(digits.replace("_", ""), radix), (1 << int(width)) - 1
        for new, what in (((v + 1) & mask, "+1"), ((v - 1) & mask, "-1"), (v ^ 1, "bit 0"),
                          (v ^ (1 << (w - 1)), f"bit {w - 1}")):
            if new != v:
                lit = f"{width}'{signed}{base}{new:x}" if radix == 16 else f"{width}'{signed}d{new}"
                out.append((start + m.start(), m.group(), lit, "const", f"{m.group()} -> {lit} ({what})"))
    for m in BARE.finditer(seg):
        p = m.start()
        inside = seg[:p].count("[") > seg[:p].count("]") or seg[:p].rstrip().endswith("{")
        if inside or seg[m.end():].lstrip().startswith("{"):  # ranges, replication counts
            continue
        v = int(m.group(1))
        for new in (v + 1, v - 1):
            if new >= 0:
                add(p, m.group(1), str(new), "const")
    return out


def _conditions(code):
    out = []
    for m in re.finditer(r"\bif\s*\(", code):
        depth, j = 1, m.end()
        while j < len(code) and depth:
            depth += {"(": 1, ")": -1}.get(code[j], 0)
            j += 1
        if depth == 0:
            cond = code[m.end():j - 1]
            if not re.search(r"\b[a-z]\w*", cond):  # parameters only: a generate-time choice
                continue
            for v in ("1'b1", "1'b0"):
                out.append((m.end(), cond, v, "cond", f"if ({cond.strip()}) forced {v}"))
    for m in re.finditer(r"\?", code):
        depth, k = 0, m.start() - 1
        while k >= 0:
            c = code[k]
            if c == ")":
                depth += 1
            elif c == "(":
                if depth == 0:
                    break
                depth -= 1
            elif depth == 0 and (c in ",?:" or (c == "=" and code[k - 1:k] not in ("=", "!", "<", ">")
                                                  and code[k + 1:k + 2] != "=")):
                break
            k -= 1
        cond = code[k + 1:m.start()]
        if cond.strip() and not cond.strip().startswith("assign"):
            lead = len(cond) - len(cond.lstrip())
            for v in ("1'b1", "1'b0"):
                out.append((k + 1 + lead, cond.strip(), v, "cond", f"({cond.strip()}) ? forced {v}"))
    return out


def _literal(text):
    """The value of a literal (4'd3, 1'b0, {N{1'b0}}, 12), or None."""
    m = re.fullmatch(r"\{\s*\w+\s*\{\s*1'b([01])\s*\}\s*\}", text)
    if m:  # a replicated bit: all zeros or all ones, any width
        return "ones" if m.group(1) == "1" else 0
    m = SIZED.fullmatch(text)
    if m:
        return int(m.group(4).replace("_", ""), {"b": 2, "d": 10, "h": 16}[m.group(3).lower()])
    return int(text) if text.isdigit() else None


def _same_constant(a, b):
    """Two literals of the same value: swapping them (e.g. two resets to zero) changes nothing."""
    va, vb = _literal(a), _literal(b)
    return va is not None and va == vb


def _outputs(code_lines):
    names = set()
    for line in code_lines:
        if re.match(r"^\s*output\b", line):
            names.update(re.findall(r"([A-Za-z_]\w*)\s*[,;)]?\s*$", line))
    return names


def _line_mutants(lines, code_lines, i, outputs):
    """[(op, new line, detail)] for line i (0-based)."""
    line, code = lines[i], code_lines[i]
    found = []
    start = _expr_start(code)
    if start is not None:
        for col, old, new, op, detail in _ops_in(code, start) + (_conditions(code) if start == 0 else []):
            found.append((op, line[:col] + new + line[col + len(old):], detail))
    m = ASSIGN_STMT.match(code)
    if m and not DECL.match(code) and not code.lstrip().startswith(("assign", "if", "for", "case")):
        found.append(("drop", line[:len(m.group(1))] + ";", f"dropped {m.group(2).strip()} {m.group(3)} ..."))
        nxt = ASSIGN_STMT.match(code_lines[i + 1]) if i + 1 < len(lines) else None
        a, b = m.group(4).strip(), nxt.group(4).strip() if nxt else None
        if nxt and nxt.group(3) == m.group(3) and a != b and not _same_constant(a, b):
            found.append(("swap", line.replace(a, b, 1) + "\n" + lines[i + 1].replace(b, a, 1),
                          f"{m.group(2).strip()} and {nxt.group(2).strip()} swap their values"))
    m = CONT_ASSIGN.match(code) or WIRE_INIT.match(code)
    if m:
        name = m.group(2) if code.lstrip().startswith("assign") else m.group(3)
        rhs = m.group(4)
        col = code.rindex(rhs.strip())
        rhs_end = col + len(rhs.strip())
        if code.lstrip().startswith("assign"):
            found.append(("drop", "", f"dropped assign {name}"))
        if name not in outputs and not name.startswith("unused"):
            for v, what in (("0", "stuck at 0"), ("~0", "stuck at 1")):
                found.append(("stuck", line[:col] + v + line[rhs_end:], f"{name} {what}"))
    return found


def assertion_lines(code_lines):
    """Indices of the lines inside `ifdef VSQ_ASSERT ... `endif (nesting counted)."""
    inside, depth, out = False, 0, set()
    for i, code in enumerate(code_lines):
        word = code.strip().split()[:2]
        if not inside:
            if word == ["`ifdef", "VSQ_ASSERT"]:
                inside, depth = True, 1
                out.add(i)
            continue
        out.add(i)
        if word and word[0] in ("`ifdef", "`ifndef"):
            depth += 1
        elif word and word[0] == "`endif":
            depth -= 1
            inside = depth > 0
    return out


def generate(name, text):
    """Every candidate mutant of one rtl file's text, in a fixed order."""
    module = name[:-2] if name.endswith(".v") else name
    lines = text.split("\n")
    code_lines = strip_comments(text).split("\n")
    checks = assertion_lines(code_lines)
    outputs = _outputs(code_lines)
    digest = hashlib.sha1(text.encode()).hexdigest()
    seen, out = set(), []
    in_header = True
    for i, code in enumerate(code_lines):
        if in_header:  # the module's port and parameter list
            in_header = not re.search(r"\)\s*;", code)
            continue
        if "unused" in code or not code.strip() or i in checks:
            continue
        for op, new, detail in _line_mutants(lines, code_lines, i, outputs):
            span = new.count("\n") + 1  # a swap changes two lines
            original = "\n".join(lines[i:i + span])
            if new == original or (i, new) in seen:
                continue
            seen.add((i, new))
            mid = hashlib.sha1(f"{digest}:{i}:{new}".encode()).hexdigest()[:10]
            out.append(Mutant(f"{module}-{mid}", module, name, i + 1, op, original, new, detail))
    return out


def code_lines(text):
    """Lines of design code (no comments, no blank lines, no assertions): the sampling weight."""
    code = strip_comments(text).split("\n")
    checks = assertion_lines(code)
    return sum(1 for i, line in enumerate(code) if line.strip() and i not in checks)


def sample(candidates, sizes, total, seed):
    """`total` mutants over modules in proportion to `sizes` ({module: lines}),
    at least one per module that has candidates; reproducible from `seed`."""
    mods = sorted(m for m in sizes if candidates.get(m))
    if not mods:
        return []
    weight = sum(sizes[m] for m in mods)
    share = {m: max(1, total * sizes[m] // weight) for m in mods}
    # Largest remainders take what rounding left, in a fixed order.
    left = total - sum(share.values())
    order = sorted(mods, key=lambda m: (-(total * sizes[m] % weight), m))
    for m in order[:max(0, left)]:
        share[m] += 1
    # A module with fewer candidates than its share gives the rest to the others.
    for m in mods:
        share[m] = min(share[m], len(candidates[m]))
    spare = total - sum(share.values())
    while spare > 0:
        room = [m for m in order if share[m] < len(candidates[m])]
        if not room:
            break
        for m in room[:spare]:
            share[m] += 1
        spare = total - sum(share.values())
    rng = random.Random(seed)
    picked = []
    for m in mods:
        pool = candidates[m]
        picked += rng.sample(pool, min(share[m], len(pool)))
    return picked


def apply(text, mutant):
    """The file's text with the mutant applied (the line must still be there)."""
    lines = text.split("\n")
    i, span = mutant.line - 1, mutant.original.count("\n") + 1
    if "\n".join(lines[i:i + span]) != mutant.original:
        raise ValueError(f"{mutant.file}:{mutant.line} changed since the mutant was made")
    lines[i:i + span] = mutant.mutated.split("\n")
    return "\n".join(lines)


def diff(mutant):
    minus = "".join(f"-{ln}\n" for ln in mutant.original.split("\n"))
    plus = "".join(f"+{ln}\n" for ln in mutant.mutated.split("\n"))
    return f"--- rtl/{mutant.file}:{mutant.line}\n{minus}{plus}".rstrip("\n")
