"""What a running test knows about its job: name, simulator, parameters,
seed and output directory, handed over by tb.sim through the environment.

`seed` is the job's seed as given to the simulator (COCOTB_RANDOM_SEED, the
SEED= of the repro line). During a test cocotb replaces cocotb.RANDOM_SEED by
a per-test value derived from it, which would not reproduce the job if
printed. numpy is seeded from the job seed plus the test name, so the seed
reproduces every random choice of the job (cocotb seeds `random` itself).
"""

import json
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

import cocotb
import numpy as np


@dataclass(frozen=True)
class TbConfig:
    test: str
    sim: str
    param_set: str
    params: dict
    seed: int
    out_dir: Path

    @classmethod
    def from_env(cls):
        return cls(
            test=os.environ.get("VSQ_TEST", "unknown"),
            sim=os.environ.get("VSQ_SIM", "icarus"),
            param_set=os.environ.get("VSQ_PARAM_SET", "fast"),
            params=json.loads(os.environ.get("VSQ_PARAMS", "{}")),
            seed=int(os.environ.get("COCOTB_RANDOM_SEED", cocotb.RANDOM_SEED)),
            out_dir=Path(os.environ.get("VSQ_OUT_DIR", ".")),
        )

    def rng(self, stream=""):
        """A numpy Generator for this job; `stream` names an independent stream."""
        return np.random.default_rng([self.seed, zlib.crc32(f"{self.test}/{stream}".encode())])

    def repro(self):
        """The one command that reruns this job, with waves."""
        return (f"make sim TEST={self.test} SIM={self.sim} SEED={self.seed} "
                f"PARAMS={self.param_set} WAVES=1")
