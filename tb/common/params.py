"""Named RTL parameter sets: models.contract.PARAM_SETS (architecture.md,
"Parameters"), by name for the benches and the runners."""

from models.contract import PARAM_SETS


def param_set(name):
    """The parameter dict of a named set; KeyError names the known sets."""
    try:
        return dict(PARAM_SETS[name])
    except KeyError:
        raise KeyError(f"unknown parameter set '{name}' (known: {', '.join(PARAM_SETS)})") from None
