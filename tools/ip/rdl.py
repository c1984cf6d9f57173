"""Compile rdl/vsq_top.rdl (systemrdl-compiler) and elaborate it for a
parameter set: the one reader of the register map. The register model, the
docs tables and `make ip` all start here.

`elaborate(params)` returns the top AddrmapNode; `params` are the top's
Verilog parameters (tb/common/params.py); those the RDL does not declare are
ignored, the rest override the RDL's defaults (the paper configuration)."""

import functools
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
RDL_DIR = REPO / "rdl"
TOP_RDL = RDL_DIR / "vsq_top.rdl"
TOP_NAME = "vsq_top"


class RdlError(Exception):
    """The RDL does not compile: one line for the user."""


@functools.lru_cache(maxsize=None)
def _compiled():
    from systemrdl import RDLCompiler, RDLCompileError

    rdlc = RDLCompiler()
    try:
        rdlc.compile_file(str(TOP_RDL), incl_search_paths=[str(RDL_DIR)])
    except RDLCompileError:
        raise RdlError(f"{TOP_RDL.relative_to(REPO)} does not compile (messages above)") from None
    return rdlc


def rdl_parameters():
    """{name: default} of the top addrmap's parameters."""
    return {p.name: p.get_value() for p in _elaborate(()).inst.parameters}


@functools.lru_cache(maxsize=None)
def _elaborate(items):
    from systemrdl import RDLCompileError

    try:
        return _compiled().elaborate(TOP_NAME, parameters=dict(items)).top
    except RDLCompileError:
        raise RdlError(f"{TOP_RDL.relative_to(REPO)}: elaboration with {dict(items)} failed") from None


def elaborate(params=None):
    """The top AddrmapNode for `params` (None: the RDL's defaults)."""
    if not params:
        return _elaborate(())
    known = {p.name for p in _elaborate(()).inst.parameters}
    return _elaborate(tuple(sorted((k, int(v)) for k, v in params.items() if k in known)))


def field_access(field):
    """RO, RW, W1C or WO of a FieldNode (the docs' and the testbench's names)."""
    from systemrdl.rdltypes import OnWriteType

    sw = field.get_property("sw").name
    if sw == "r":
        return "RO"
    if sw == "w":
        return "WO"
    if field.get_property("onwrite") == OnWriteType.woclr:
        return "W1C"
    if field.get_property("onwrite") is None:
        return "RW"
    raise RdlError(f"field {field.get_path()}: access sw={sw} onwrite={field.get_property('onwrite')} "
                   "has no name here (RO, RW, W1C, WO)")


def reg_access(reg):
    """The access of a register: the one of its fields (the map mixes none)."""
    kinds = {field_access(f) for f in reg.fields()}
    if len(kinds) != 1:
        raise RdlError(f"register {reg.get_path()} mixes access types {sorted(kinds)}")
    return kinds.pop()
