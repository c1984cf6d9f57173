"""Named RTL parameter sets (architecture.md, "Parameters").

`fast` is small enough for Icarus; `paper` is the chip's configuration and is
meant for Verilator. A testbench passes only the parameters its top level has.
"""

PARAM_SETS = {
    "fast": {"LANES": 4, "VEC": 16, "ACC_DEPTH": 4, "A_DEPTH": 32, "B_DEPTH": 256, "OUT_DEPTH": 128},
    "paper": {"LANES": 16, "VEC": 64, "ACC_DEPTH": 16, "A_DEPTH": 128, "B_DEPTH": 2048, "OUT_DEPTH": 512},
}


def param_set(name):
    """The parameter dict of a named set; KeyError names the known sets."""
    try:
        return dict(PARAM_SETS[name])
    except KeyError:
        raise KeyError(f"unknown parameter set '{name}' (known: {', '.join(PARAM_SETS)})") from None
