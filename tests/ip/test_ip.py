"""The register map's generated files are current and usable: the RDL
include of models/contract.py's codes, the docs tables, and `make ip`'s
header (compiles clean under gcc -std=c11 -pedantic -Werror, with the codes
as named constants), IP-XACT and register reference."""

import shutil
import subprocess
import xml.dom.minidom

import pytest

from models.contract import BANKS, ERRORS, MODE_CODES, OUT_MODE_CODES, QUEUE_DEPTH
from tb.common.params import PARAM_SETS
from tools.ip import __main__ as ip_main
from tools.ip import codes, docs, rdl, vh


def test_codes_include_is_current():
    assert codes.CODES_RDL.read_text().splitlines()[0].startswith("// Generated"), "first line must say generated"
    assert codes.is_current(), "rdl/vsq_codes.rdl is stale: run `python -m tools.ip.codes`"


def test_docs_tables_are_current():
    assert docs.is_current(), "docs/rtl-top.md register tables are stale: run `python -m tools.ip.docs`"


def test_rdl_defaults_are_the_paper_configuration():
    defaults = rdl.rdl_parameters()
    assert {k: defaults[k] for k in PARAM_SETS["paper"]} == PARAM_SETS["paper"]
    # the top's design constants (rtl/vsq_defs.vh VSQ_BANKS / VSQ_QUEUE_DEPTH come from the same owner)
    assert (defaults["BANKS"], defaults["QUEUE"]) == (BANKS, QUEUE_DEPTH)


def test_fields_encode_the_contract_codes():
    top = rdl.elaborate()
    enc = {f"{r.inst_name}.{f.inst_name}": {m.name: m.value for m in f.get_property("encode")}
           for r in top.registers() for f in r.fields() if f.get_property("encode") is not None}
    assert {n: c for n, c, _ in ERRORS}.items() <= enc["STATUS.ERR_CODE"].items()
    assert enc["MODE.VALUE"] == {m.upper(): c for m, c in MODE_CODES.items()}
    assert enc["OUT_MODE.VALUE"] == {m.upper(): c for m, c in OUT_MODE_CODES.items()}


@pytest.fixture(scope="module")
def ip_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("ip")
    assert ip_main.main(["--out", str(out)]) == 0
    return out


def test_header_compiles_clean_with_named_codes(ip_dir, tmp_path):
    if shutil.which("gcc") is None:
        pytest.fail("gcc is not installed: run `make setup`")
    name, code, _ = ERRORS[-1]
    src = tmp_path / "use.c"
    src.write_text('#include "vsq_top.h"\n'
                   f"_Static_assert(VSQ_TOP__STATUS__ERR_CODE__{name} == {code}, \"code\");\n"
                   "_Static_assert(VSQ_TOP__OUT_MODE__VALUE__SOFTMAX == "
                   f"{OUT_MODE_CODES['softmax']}, \"out_mode\");\n"
                   "int main(void) { return (int)VSQ_TOP__IRQ_ENABLE__DONE_reset - 1; }\n")
    res = subprocess.run(["gcc", "-std=c11", "-Wall", "-Wextra", "-pedantic", "-Werror", "-I", str(ip_dir),
                          "-o", str(tmp_path / "use"), str(src)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert subprocess.run([str(tmp_path / "use")]).returncode == 0


def test_ipxact_and_reference(ip_dir):
    dom = xml.dom.minidom.parse(str(ip_dir / "vsq_top.xml"))
    regs = [r.getElementsByTagName("ipxact:name")[0].firstChild.data
            for r in dom.getElementsByTagName("ipxact:register")]
    names = [r.inst_name for r in rdl.elaborate().registers()]
    assert regs == names
    ref = (ip_dir / "vsq_top_regs.md").read_text()
    assert all(f"### {n} register" in ref for n in names)


def test_verilog_map_include_is_current():
    assert vh.MAP_VH.read_text().splitlines()[0].startswith("// Generated"), "first line must say generated"
    assert vh.is_current(), "rdl/vsq_top_map.vh is stale: run `python -m tools.ip.vh`"
