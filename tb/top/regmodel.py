"""The top's register model, generated at import from docs/regmap.yaml (the
single source of the register map) and the error-code table of
docs/interfaces.md.

- `REGMAP`: the parsed description: `Register`s (name, offset, access,
  fields) in address order, plus the bus facts (unmapped answer, RO-write
  answer) and the enums.
- `RegModel(regmap, bus, params)`: the front door the sequences use:
  `await regs.write("M", 64)`, `await regs.read("STATUS")` (a `RegValue`
  whose fields read as attributes: `.BUSY`, `.ERR_CODE`), `regs.reset_value(
  "P_LANES")` with the top's parameters filled in. Every access goes through
  the AXI4-Lite agent (`bus`), which publishes it for coverage.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tb.common.testbench import REPO

REGMAP_PATH = REPO / "docs" / "regmap.yaml"
INTERFACES_PATH = REPO / "docs" / "interfaces.md"
ACCESS_TYPES = ("RO", "RW", "W1C", "WO")
RESP_NAMES = {0: "OKAY", 1: "EXOKAY", 2: "SLVERR", 3: "DECERR"}


@dataclass(frozen=True)
class Field:
    name: str
    msb: int
    lsb: int
    reset: object  # int, or the name of a parameter
    enum: str = None
    desc: str = ""

    @property
    def mask(self):
        return ((1 << (self.msb - self.lsb + 1)) - 1) << self.lsb

    def get(self, value):
        return (value & self.mask) >> self.lsb

    def put(self, value):
        return (int(value) << self.lsb) & self.mask


@dataclass(frozen=True)
class Register:
    name: str
    offset: int
    access: str
    desc: str
    fields: tuple = field(default_factory=tuple)

    @property
    def mask(self):
        """Bits that belong to a field (the others are reserved, read 0)."""
        m = 0
        for f in self.fields:
            m |= f.mask
        return m

    def field(self, name):
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"register {self.name} has no field {name}")


@dataclass(frozen=True)
class RegMap:
    registers: tuple
    addr_width: int
    data_width: int
    unmapped_read: int
    unmapped_resp: str
    ro_write_resp: str
    derived: dict
    enums: dict
    error_codes: dict

    def __getitem__(self, name):
        for r in self.registers:
            if r.name == name:
                return r
        raise KeyError(f"no register {name} in {REGMAP_PATH.name}")

    def by_offset(self, offset):
        for r in self.registers:
            if r.offset == offset:
                return r
        return None

    def unmapped_offsets(self):
        """Every word offset of the address space that maps no register."""
        used = {r.offset for r in self.registers}
        return [a for a in range(0, 1 << self.addr_width, 4) if a not in used]


def error_code_table(path=INTERFACES_PATH):
    """{code: name} from the one error-code table of docs/interfaces.md."""
    codes = {}
    for line in Path(path).read_text().splitlines():
        m = re.match(r"\|\s*(\d+)\s*\|\s*`([A-Z_]+)`\s*\|", line)
        if m:
            codes[int(m.group(1))] = m.group(2)
    if not codes:
        raise RuntimeError(f"no error-code table found in {path}")
    return codes


def load_regmap(path=REGMAP_PATH):
    data = yaml.safe_load(Path(path).read_text())
    regs = []
    for r in data["registers"]:
        if r["access"] not in ACCESS_TYPES:
            raise ValueError(f"{path}: register {r['name']} has unknown access {r['access']}")
        fields = tuple(Field(f["name"], int(f["bits"][0]), int(f["bits"][1]), f.get("reset", 0),
                             f.get("enum"), f.get("desc", "")) for f in r["fields"])
        regs.append(Register(r["name"], int(r["offset"]), r["access"], r.get("desc", ""), fields))
    regs.sort(key=lambda r: r.offset)
    offsets = [r.offset for r in regs]
    if len(set(offsets)) != len(offsets) or any(o % 4 for o in offsets):
        raise ValueError(f"{path}: register offsets must be distinct and word aligned")
    enums = {k: v for k, v in data.get("enums", {}).items() if isinstance(v, dict)}
    return RegMap(
        registers=tuple(regs), addr_width=int(data["bus"]["addr_width"]),
        data_width=int(data["bus"]["data_width"]),
        unmapped_read=int(data["unmapped"]["read_data"]), unmapped_resp=data["unmapped"]["resp"],
        ro_write_resp=data["ro_write_resp"], derived=dict(data.get("parameters", {})),
        enums=enums, error_codes=error_code_table(),
    )


REGMAP = load_regmap()
ERROR_CODES = REGMAP.error_codes  # {code: name}
CODE = {name: code for code, name in ERROR_CODES.items()}  # {name: code}


def param_values(params, regmap=REGMAP):
    """The top's parameters plus the derived ones of the register map."""
    vals = dict(params)
    for name, expr in regmap.derived.items():
        vals[name] = int(eval(str(expr), {"__builtins__": {}}, dict(vals)))  # noqa: S307 - our own file
    return vals


class RegValue:
    """A register's read value with its fields as attributes."""

    def __init__(self, reg, value, resp):
        self.reg, self.value, self.resp = reg, int(value), resp
        for f in reg.fields:
            setattr(self, f.name, f.get(self.value))

    def __int__(self):
        return self.value

    def __repr__(self):
        fields = ", ".join(f"{f.name}={f.get(self.value)}" for f in self.reg.fields)
        return f"{self.reg.name}(0x{self.value:08x}: {fields}; {RESP_NAMES.get(self.resp, self.resp)})"


class RegModel:
    def __init__(self, bus, params, regmap=REGMAP):
        self.bus, self.map = bus, regmap
        self.values = param_values(params, regmap)

    def reg(self, name):
        return self.map[name]

    def reset_value(self, name):
        value = 0
        for f in self.map[name].fields:
            r = f.reset if isinstance(f.reset, int) else self.values[f.reset]
            value |= f.put(r)
        return value

    def encode(self, name, **fields):
        """A register value from field values (unnamed fields 0)."""
        reg = self.map[name]
        value = 0
        for k, v in fields.items():
            value |= reg.field(k).put(v)
        return value

    async def read(self, name):
        reg = self.map[name]
        data, resp = await self.bus.read(reg.offset, name=name)
        return RegValue(reg, data, resp)

    async def write(self, name, value=None, strb=0xF, **fields):
        """Write `value` (or the named fields, others 0); returns the response code."""
        if value is None:
            value = self.encode(name, **fields)
        return await self.bus.write(self.map[name].offset, value, strb=strb, name=name)

    async def write_config(self, m, n, k, mode, out_mode, sh, relu):
        for name, value in (("M", m), ("N", n), ("K", k), ("MODE", mode), ("OUT_MODE", out_mode),
                            ("SH", sh), ("RELU", int(relu))):
            resp = await self.write(name, value)
            assert resp == 0, f"write of {name} answered {RESP_NAMES.get(resp, resp)}"


def markdown_table(regmap=REGMAP):
    """The register table of docs/rtl-top.md, generated from the register map."""
    lines = ["| offset | register | access | fields (bits: name = reset) | description |",
             "|---|---|---|---|---|"]
    for r in regmap.registers:
        fields = "; ".join(
            f"[{f.msb}:{f.lsb}] {f.name} = {f.reset if isinstance(f.reset, str) else hex(f.reset)}"
            if f.msb != f.lsb else
            f"[{f.msb}] {f.name} = {f.reset if isinstance(f.reset, str) else hex(f.reset)}"
            for f in r.fields)
        desc = r.desc
        for f in r.fields:
            enum = regmap.enums.get(f.enum) if f.enum else None
            if enum:
                desc += ": " + ", ".join(f"{k} = {v}" for k, v in enum.items())
            elif f.enum:
                desc += f" (codes: {f.enum} of docs/interfaces.md)"
        desc = desc.replace("|", "\\|")
        lines.append(f"| 0x{r.offset:03X} | {r.name} | {r.access} | {fields} | {desc} |")
    return "\n".join(lines)


def markdown_fields(regmap=REGMAP):
    """The field notes of docs/rtl-top.md (fields that carry a description)."""
    lines = ["| register.field | bits | meaning |", "|---|---|---|"]
    for r in regmap.registers:
        for f in r.fields:
            if f.desc:
                bits = f"[{f.msb}:{f.lsb}]" if f.msb != f.lsb else f"[{f.msb}]"
                lines.append(f"| {r.name}.{f.name} | {bits} | {f.desc} |")
    return "\n".join(lines)


def markdown():
    return markdown_table() + "\n\n" + markdown_fields()


if __name__ == "__main__":
    print(markdown())
