"""The top's register model: the pyuvm register layer PeakRDL-pyuvm
generates from rdl/vsq_top.rdl (the single source of the register map), one
per parameter set (the P_* read-back registers' reset values are the
build's parameters), behind the front door the sequences use.

- `RegModel(bus, params)`: `await regs.write("M", 64)`, `await regs.read(
  "STATUS")` (a `RegValue` whose fields read as attributes: `.BUSY`,
  `.ERR_CODE`), `regs.reset_value("P_LANES")`. Every access goes through the
  AXI4-Lite agent (`bus`), which publishes it for coverage, and updates the
  pyuvm model's mirror (`regs.block`, a locked uvm_reg_block): reads and
  OKAY writes are predicted with the fields' access policies (RW, RO, W1C,
  WO), so `regs.mirror(name)` is what the register should read now
  (volatile fields excepted: the hardware moves them).
- `regs.map` / `REGMAP`: registers (name, offset, access, fields) in address
  order from the same model, plus the bus facts of the RDL (unmapped answer,
  RO-write answer, address width).
- `param_values(params)`: the parameters plus the ones the map derives
  (PPU_ROWS, MAX_L), read from the P_* registers' reset values.
"""

import functools
import importlib.util
import logging
import os
import tempfile
from dataclasses import dataclass

from models.contract import ERROR_CODES as _CODE_BY_NAME
from models.contract import ERROR_NAMES
from tb.common.testbench import REPO
from tools.ip import rdl

RESP_NAMES = {0: "OKAY", 1: "EXOKAY", 2: "SLVERR", 3: "DECERR"}
RESP_CODES = {name: code for code, name in RESP_NAMES.items()}
GEN_DIR = REPO / "build" / "regmodel"
ERROR_CODES = dict(ERROR_NAMES)  # {code: name}
CODE = dict(_CODE_BY_NAME)  # {name: code}
# pyuvm warns on every mirror read of a volatile field; the model knows which
# fields are volatile and never checks them, so the warning is only noise.
logging.getLogger("RegModel").setLevel(logging.ERROR)


@dataclass(frozen=True)
class Field:
    name: str
    msb: int
    lsb: int
    access: str
    reset: int
    volatile: bool

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
    fields: tuple

    @property
    def mask(self):
        """Bits that belong to a field (the others are reserved, read 0)."""
        m = 0
        for f in self.fields:
            m |= f.mask
        return m

    @property
    def volatile_mask(self):
        return sum(f.mask for f in self.fields if f.volatile)

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
    unmapped_resp: int
    ro_write_resp: int
    error_codes: dict

    def __getitem__(self, name):
        for r in self.registers:
            if r.name == name:
                return r
        raise KeyError(f"no register {name} in {rdl.TOP_RDL.name}")

    def by_offset(self, offset):
        for r in self.registers:
            if r.offset == offset:
                return r
        return None

    def unmapped_offsets(self):
        """Every word offset of the address space that maps no register."""
        used = {r.offset for r in self.registers}
        return [a for a in range(0, 1 << self.addr_width, 4) if a not in used]


def _export(top):
    """The PeakRDL-pyuvm module of an elaborated top, written under
    build/regmodel/ (atomically: parallel jobs share it) and imported."""
    from peakrdl_pyuvm.exporter import PyUVMExporter

    GEN_DIR.mkdir(parents=True, exist_ok=True)
    path = GEN_DIR / f"{top.type_name}.py"
    fd, tmp = tempfile.mkstemp(dir=GEN_DIR, suffix=".py.tmp")
    os.close(fd)
    PyUVMExporter().export(top, tmp)
    os.replace(tmp, path)
    spec = importlib.util.spec_from_file_location(f"vsq_regmodel_{top.type_name}", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return getattr(mod, top.type_name)


_BLOCK_CLASSES = {}  # {elaborated type name: uvm_reg_block class}


def build_block(params=None, name="regs"):
    """A built, locked pyuvm uvm_reg_block of the map for `params` (None:
    the RDL's defaults, the paper configuration) and its elaborated RDL top."""
    top = rdl.elaborate(params)
    if top.type_name not in _BLOCK_CLASSES:
        _BLOCK_CLASSES[top.type_name] = _export(top)
    block = _BLOCK_CLASSES[top.type_name](name)
    block.build()
    block.lock_model()
    return block, top


def regmap_of(block, top):
    """The RegMap (registers in address order) of a built block."""
    regs = []
    for r in block.get_registers():
        fields = tuple(Field(f.get_name(), f.get_lsb_pos() + f.get_n_bits() - 1, f.get_lsb_pos(),
                             f.get_access(), int(f.get_reset()), bool(f.is_volatile()))
                       for f in r.get_fields())
        kinds = {f.access for f in fields}
        if len(kinds) != 1:
            raise ValueError(f"register {r.get_name()} mixes access types {sorted(kinds)}")
        regs.append(Register(r.get_name(), int(r.get_offset()), kinds.pop(), fields))
    regs.sort(key=lambda r: r.offset)
    return RegMap(
        registers=tuple(regs), addr_width=int(top.get_property("vsq_addr_bits")),
        data_width=max(r.get_n_bits() for r in block.get_registers()),
        unmapped_read=int(top.get_property("vsq_unmapped_rdata")), unmapped_resp=RESP_CODES[top.get_property("vsq_unmapped_resp")],
        ro_write_resp=RESP_CODES[top.get_property("vsq_ro_write_resp")], error_codes=ERROR_CODES,
    )


@functools.lru_cache(maxsize=None)
def _default_map():
    return regmap_of(*build_block(None, name="regmap"))


class _LazyMap:
    """REGMAP: the map of the RDL's defaults, built on first use (names and
    offsets do not depend on the parameters)."""

    def __getattr__(self, attr):
        return getattr(_default_map(), attr)

    def __getitem__(self, name):
        return _default_map()[name]


REGMAP = _LazyMap()


def param_values(params):
    """The top's parameters plus those the map derives: every P_<NAME>
    register's reset value is parameter NAME (PPU_ROWS, MAX_L included)."""
    vals = dict(params)
    top = rdl.elaborate(params)
    for reg in top.registers():
        if reg.inst_name.startswith("P_"):
            vals.setdefault(reg.inst_name[2:], int(reg.get_child_by_name("VALUE").get_property("reset")))
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
    def __init__(self, bus, params):
        from pyuvm import uvm_predict_e

        self._predict = uvm_predict_e
        self.bus = bus
        self.block, top = build_block(params)
        self.map = regmap_of(self.block, top)
        self.values = param_values(params)

    def reg(self, name):
        return self.map[name]

    def uvm_reg(self, name):
        reg = self.block.get_reg_by_name(name)
        if reg is None:
            raise KeyError(f"no register {name} in {rdl.TOP_RDL.name}")
        return reg

    def reset_value(self, name):
        return int(self.uvm_reg(name).get_reset())

    def reset(self):
        """The mirror after a hardware reset: every register at its reset value."""
        self.block.reset()

    def mirror(self, name):
        """What the register reads now by the model (volatile fields: last seen)."""
        return int(self.uvm_reg(name).get_mirrored_value())

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
        if resp == 0:
            self.uvm_reg(name).predict(data, kind=self._predict.UVM_PREDICT_READ)
        return RegValue(reg, data, resp)

    async def write(self, name, value=None, strb=0xF, **fields):
        """Write `value` (or the named fields, others 0); returns the response code.
        An OKAY write is predicted into the mirror (bytes outside `strb` keep
        their mirrored value)."""
        if value is None:
            value = self.encode(name, **fields)
        resp = await self.bus.write(self.map[name].offset, value, strb=strb, name=name)
        if resp == 0:
            ureg = self.uvm_reg(name)
            keep = sum(0xFF << (8 * b) for b in range(4) if not strb >> b & 1)
            if self.map[name].access == "W1C":
                merged = int(value) & ~keep  # unselected bytes write nothing: 0 clears nothing
            else:
                merged = (int(ureg.get_mirrored_value()) & keep) | (int(value) & ~keep)
            ureg.predict(merged & 0xFFFFFFFF, kind=self._predict.UVM_PREDICT_WRITE)
        return resp

    async def write_config(self, m, n, k, mode, out_mode, sh, relu):
        for name, value in (("M", m), ("N", n), ("K", k), ("MODE", mode), ("OUT_MODE", out_mode),
                            ("SH", sh), ("RELU", int(relu))):
            resp = await self.write(name, value)
            assert resp == 0, f"write of {name} answered {RESP_NAMES.get(resp, resp)}"
