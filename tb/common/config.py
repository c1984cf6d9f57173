"""What a running test knows about its job: name, simulator, parameters,
seed and output directory, handed over by tb.sim in one job file (VSQ_JOB):
job.json, or job.npz when the job carries arrays (a case of `make run-case`,
already validated by the runner) next to the same JSON under the key "job".

`seed` is the job's seed as given to the simulator (COCOTB_RANDOM_SEED, the
SEED= of the repro line). During a test cocotb replaces cocotb.RANDOM_SEED by
a per-test value derived from it, which would not reproduce the job if
printed. numpy is seeded from the job seed plus the test name, so the seed
reproduces every random choice of the job (cocotb seeds `random` itself).
"""

import json
import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import cocotb
import numpy as np


def read_job(path):
    """(job dict, arrays dict) of a job file written by tb.sim.write_job."""
    path = Path(path)
    if path.suffix == ".npz":
        with np.load(path, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files if k != "job"}
            return json.loads(str(npz["job"])), arrays
    return json.loads(path.read_text()), {}


@dataclass(frozen=True)
class TbConfig:
    test: str
    sim: str
    param_set: str
    params: dict
    seed: int
    out_dir: Path
    job: dict = field(default_factory=dict)     # the whole job (extra keys of a job kind)
    arrays: dict = field(default_factory=dict)  # the job's arrays (job.npz)

    @classmethod
    def from_env(cls):
        job, arrays = read_job(os.environ["VSQ_JOB"]) if os.environ.get("VSQ_JOB") else ({}, {})
        return cls(
            test=job.get("test", "unknown"),
            sim=job.get("sim", "icarus"),
            param_set=job.get("param_set", "fast"),
            params=job.get("params", {}),
            seed=int(os.environ.get("COCOTB_RANDOM_SEED", cocotb.RANDOM_SEED)),
            out_dir=Path(job.get("out_dir", ".")),
            job=job, arrays=arrays,
        )

    def rng(self, stream=""):
        """A numpy Generator for this job; `stream` names an independent stream."""
        return np.random.default_rng([self.seed, zlib.crc32(f"{self.test}/{stream}".encode())])

    def repro(self):
        """The one command that reruns this job (with waves, for a test)."""
        if self.job.get("repro"):
            return self.job["repro"]
        return (f"make sim TEST={self.test} SIM={self.sim} SEED={self.seed} "
                f"PARAMS={self.param_set} WAVES=1")
