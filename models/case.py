"""Case files: validation, execution and atomic saving (architecture.md "Case files").

A case is the one format for "run this GEMM". ``validate_case`` is strict so
that the model and the RTL runner refuse the same files: every key of the
table must be present with its exact dtype and shape, and **unknown keys are
refused** too (a misspelt key would otherwise be silently ignored). Every
refusal is a ``CaseError`` whose message is one line naming the problem.
"""

import os
import tempfile
import zipfile
import zlib

import numpy as np

from .gemm import gemm_acc
from .numerics import ELEMENT_RANGE, MODES, OUT_MODES, out_group, vec_len
from .ppu import postprocess
from .softmax import MAX_LEN

ARRAY_DTYPES = {
    "a_q": np.int8,
    "a_s": np.uint8,
    "b_q": np.int8,
    "b_s": np.uint8,
    "g": np.uint16,
    "bias": np.int16,
}
SCALAR_KINDS = {"mode": "str", "out_mode": "str", "sh": "int", "vec": "int", "lanes": "int", "relu": "bool"}
CASE_KEYS = tuple(ARRAY_DTYPES) + tuple(SCALAR_KINDS)
SH_MAX = 31


class CaseError(ValueError):
    """A case that breaks a rule; ``str()`` is one line, prefixed with the case's name."""


def _one_line(text):
    return " ".join(str(text).split())


def _scalar(source, key, value):
    """A 0-d str / int / bool value as the matching Python type."""
    kind = SCALAR_KINDS[key]
    arr = np.asarray(value)
    if arr.ndim != 0:
        raise CaseError(f"{source}: key '{key}' must be a scalar {kind}, got shape {arr.shape}")
    ok = {"str": arr.dtype.kind == "U", "int": arr.dtype.kind in "iu", "bool": arr.dtype.kind == "b"}[kind]
    if not ok:
        raise CaseError(f"{source}: key '{key}' has dtype {arr.dtype}, expected {kind}")
    return {"str": str, "int": int, "bool": bool}[kind](arr.item())


def _first_outside(arr, lo, hi):
    """'[i, j] = v' for the first element outside [lo, hi], else None."""
    bad = np.argwhere((arr < lo) | (arr > hi))
    if not len(bad):
        return None
    idx = tuple(int(i) for i in bad[0])
    return f"[{', '.join(map(str, idx))}] = {arr[idx]}"


def validate_case(case, source="case"):
    """The case as a normalized dict, or ``CaseError`` naming the first broken rule.

    Scalars come back as Python str/int/bool, arrays as the numpy arrays given.
    """
    missing = [k for k in CASE_KEYS if k not in case]
    if missing:
        raise CaseError(f"{source}: missing key(s) {', '.join(repr(k) for k in missing)}")
    unknown = sorted(str(k) for k in case if k not in CASE_KEYS)
    if unknown:
        raise CaseError(f"{source}: unknown key(s) {', '.join(repr(k) for k in unknown)}")

    out = {key: _scalar(source, key, case[key]) for key in SCALAR_KINDS}
    mode, out_mode, vec, lanes, sh = out["mode"], out["out_mode"], out["vec"], out["lanes"], out["sh"]
    if mode not in MODES:
        raise CaseError(f"{source}: unknown mode {mode!r} (expected one of {', '.join(MODES)})")
    if out_mode not in OUT_MODES:
        raise CaseError(f"{source}: unknown out_mode {out_mode!r} (expected one of {', '.join(OUT_MODES)})")
    if vec <= 0 or vec % 2:
        raise CaseError(f"{source}: vec = {vec} is not a positive even number")
    if lanes <= 0:
        raise CaseError(f"{source}: lanes = {lanes} is not positive")
    if not 0 <= sh <= SH_MAX:
        raise CaseError(f"{source}: sh = {sh} is outside 0..{SH_MAX}")

    for key, dtype in ARRAY_DTYPES.items():
        arr = case[key]
        if not isinstance(arr, np.ndarray):
            raise CaseError(f"{source}: key '{key}' is not an array")
        if arr.dtype != dtype:
            raise CaseError(f"{source}: key '{key}' has dtype {arr.dtype}, expected {np.dtype(dtype)}")
        want_ndim = 1 if key in ("g", "bias") else 2
        if arr.ndim != want_ndim:
            raise CaseError(f"{source}: key '{key}' has {arr.ndim} dimension(s), expected {want_ndim}")
        if 0 in arr.shape:
            raise CaseError(f"{source}: key '{key}' has a zero dimension, shape {arr.shape}")
        out[key] = arr

    M, K = out["a_q"].shape
    N = out["b_q"].shape[1]
    V = vec_len(mode, vec)
    if K % V:
        raise CaseError(f"{source}: K = {K} is not a multiple of V = {V} ({mode}, vec = {vec})")
    expected = {"b_q": (K, N), "a_s": (M, K // V), "b_s": (K // V, N), "g": (M,), "bias": (M,)}
    for key, shape in expected.items():
        if out[key].shape != shape:
            raise CaseError(f"{source}: key '{key}' has shape {out[key].shape}, expected {shape}")

    lo, hi = ELEMENT_RANGE[mode]
    for key in ("a_q", "b_q"):
        where = _first_outside(out[key], lo, hi)
        if where:
            raise CaseError(f"{source}: key '{key}' has a value outside [{lo}, {hi}] for mode {mode}: {key}{where}")

    if out_mode in ("int4_vsq", "int8_vsq"):
        vo, _ = out_group(out_mode, vec)
        if M % vo:
            raise CaseError(f"{source}: out_mode {out_mode} needs M a multiple of {vo}, got M = {M}")
    if out_mode == "softmax" and (M % lanes or M > MAX_LEN):
        raise CaseError(f"{source}: softmax needs M a multiple of lanes = {lanes} and at most {MAX_LEN}, got M = {M}")
    return out


def load_case(path):
    """Read and validate a case ``.npz``; ``CaseError`` if unreadable or illegal."""
    source = os.fspath(path)
    try:
        npz = np.load(source, allow_pickle=False)
        if not isinstance(npz, np.lib.npyio.NpzFile):
            raise CaseError(f"{source}: not an npz archive (a single .npy array)")
        with npz:
            case = {key: npz[key] for key in npz.files}
    except CaseError:
        raise
    except IsADirectoryError:
        raise CaseError(f"{source}: is a directory, not a case file") from None
    except FileNotFoundError:
        raise CaseError(f"{source}: no such file") from None
    except OSError as exc:
        raise CaseError(f"{source}: cannot read ({_one_line(exc.strerror or exc)})") from None
    except (ValueError, EOFError, zipfile.BadZipFile, zlib.error):
        raise CaseError(f"{source}: not a readable npz archive") from None
    return validate_case(case, source)


def run_case(case):
    """Outputs of a case (validated here): dict of numpy arrays keyed as in architecture.md."""
    return run_valid_case(validate_case(case))


def run_valid_case(c):
    """run_case of a case that validate_case (or load_case) returned."""
    acc = gemm_acc(c["mode"], c["a_q"], c["a_s"], c["b_q"], c["b_s"], c["vec"])
    return postprocess(acc, c["g"], c["bias"], c["sh"], c["relu"], c["out_mode"], c["vec"], c["lanes"])


def _savez_atomic(path, arrays):
    """np.savez to a temporary file in the target's directory, then os.replace.

    A failure at any point leaves the target as it was and no temporary file.
    """
    path = os.fspath(path)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path) or ".", prefix=".tmp-", suffix=".npz")
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def save_case(path, case):
    """Validate ``case`` and write it as a case ``.npz`` (atomically).

    Illegal cases are refused with ``CaseError``; negative tests that need a
    broken file write it with ``np.savez`` directly.
    """
    c = validate_case(case, os.fspath(path))
    arrays = {k: c[k] for k in ARRAY_DTYPES}
    arrays.update(mode=np.str_(c["mode"]), out_mode=np.str_(c["out_mode"]), sh=np.int64(c["sh"]),
                  vec=np.int64(c["vec"]), lanes=np.int64(c["lanes"]), relu=np.bool_(c["relu"]))
    _savez_atomic(path, arrays)


def save_outputs(path, outputs):
    """Write an outputs dict (``run_case``'s result) as ``.npz`` (atomically)."""
    _savez_atomic(path, outputs)
