"""`make ip`: the register map's deliverables for integrators, generated
from rdl/vsq_top.rdl (paper configuration, the RDL's defaults) under
build/ip/ (or --out DIR):

- vsq_top.h        PeakRDL-cheader, plus the enums' codes as named constants
                   (VSQ_TOP__STATUS__ERR_CODE__BUSY, ...: cheader 1.1 emits
                   no enums, so they are added from the same elaborated RDL);
- vsq_top.xml      PeakRDL-ipxact (IEEE 1685-2014);
- vsq_top_regs.md  PeakRDL-markdown, the register reference.

First it checks that what is committed and generated is current
(rdl/vsq_codes.rdl from models/contract.py, the tables of docs/rtl-top.md,
rdl/vsq_top_map.vh):
a stale one is a one-line error and exit 1."""

import argparse
import sys
from pathlib import Path

from tools.ip import codes, docs, rdl, vh

VENDOR, LIBRARY, VERSION = "vsq", "accel", "1.0"  # the FuseSoC VLNV vsq:accel:vsq_top
OUTPUTS = ("vsq_top.h", "vsq_top.xml", "vsq_top_regs.md")


def enum_defines(top):
    """#define lines for every encoded field's enum members."""
    lines = []
    for reg in top.registers():
        for f in reg.fields():
            enum = f.get_property("encode")
            if enum is None:
                continue
            lines.append(f"// {reg.inst_name}.{f.inst_name}: enum {enum.type_name}")
            prefix = f"{top.inst_name}__{reg.inst_name}__{f.inst_name}".upper()
            for m in enum:
                lines.append(f"#define {prefix}__{m.name.upper()} 0x{m.value:x}u")
    return lines


def write_header(top, path):
    from peakrdl_cheader.exporter import CHeaderExporter

    CHeaderExporter().export(top, str(path))
    text = path.read_text()
    guard_end = "#ifdef __cplusplus\n}\n#endif"
    if text.count(guard_end) != 1:
        raise RuntimeError("unexpected PeakRDL-cheader output: no single C++ guard to insert the enum codes before")
    extra = "\n".join(["// Field encodings (SystemRDL enums of rdl/vsq_codes.rdl, from models/contract.py)"]
                      + enum_defines(top)) + "\n\n"
    i = text.rindex(guard_end)
    path.write_text(text[:i] + extra + text[i:])


def generate(out):
    from peakrdl_ipxact import IPXACTExporter
    from peakrdl_markdown import MarkdownExporter

    out.mkdir(parents=True, exist_ok=True)
    top = rdl.elaborate()
    write_header(top, out / "vsq_top.h")
    IPXACTExporter(vendor=VENDOR, library=LIBRARY, version=VERSION).export(top, str(out / "vsq_top.xml"))
    MarkdownExporter().export(top, str(out / "vsq_top_regs.md"), input_files=[str(rdl.TOP_RDL.relative_to(rdl.REPO))])
    return [out / name for name in OUTPUTS]


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m tools.ip", description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=rdl.REPO / "build" / "ip")
    args = ap.parse_args(argv)
    try:
        if codes.main(["--check"]) or docs.main(["--check"]) or vh.main(["--check"]):
            return 1
        files = generate(args.out)
    except rdl.RdlError as exc:
        print(f"ip: {exc}", file=sys.stderr)
        return 1
    for f in files:
        print(f"ip: wrote {f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
