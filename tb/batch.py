"""Several (test, seed) jobs of one build in one simulator process: the
cocotb test module of a batch (COCOTB_TEST_MODULES=tb.batch, VSQ_BATCH names
the batch file written by tools/regress/batch.py).

Each job of the batch becomes one cocotb test: a copy of the job's test with
the same name and module, so cocotb seeds `random` exactly as in a process
of that job alone (sha1 of the test's full name plus the job's seed), and the
job's seed, job file and output directory are in place before the test
starts (TbConfig reads them). Between jobs the functional coverage database
is zeroed (its covergroups stay defined), so each job's coverage.yml holds
that job's hits only; pyuvm's run_test clears its singletons (uvm_root,
ConfigDB, factory overrides) itself at every test. Each job gets its own
results.xml (one testcase, cocotb's own record) written as soon as it ends,
and the process's stdout carries a start and an end line per job
(`@@vsq-batch start|end <index> <unix time>`) that the runner uses to split the log,
time the job and attribute a crash or a hang to it.

Jobs the simulator never started (it ended in an earlier job) are left
without results: the runner starts them again in a new process.
"""

import copy
import json
import os
import sys
import time
from importlib import import_module
from pathlib import Path

from cocotb._decorators import Test, TestGenerator
from cocotb._xunit_reporter import XUnitReporter
from cocotb.regression import RegressionManager
from cocotb_coverage.coverage import coverage_db

MARK = "@@vsq-batch"


def reset_coverage():
    """Every covergroup back to no hits, as in a fresh process (sizes and bins stay)."""
    for item in coverage_db.values():
        hits = getattr(item, "_hits", None)
        if hits is not None:
            for k in hits:
                hits[k] = 0
        item._coverage = 0
        item._new_hits = []


def _mark(what, index):
    sys.stdout.flush()
    print(f"{MARK} {what} {index} {time.time():.6f}", flush=True)


def _patch_manager():
    """Per-job seed and job file before a test, its own results.xml after."""
    init_test, score_test = RegressionManager._init_test, RegressionManager._score_test
    add_testcase = XUnitReporter.add_testcase

    def _init(self):
        job = getattr(self._test, "_vsq_job", None)
        if job is not None:
            self._regression_seed = job["seed"]
            os.environ["COCOTB_RANDOM_SEED"] = str(job["seed"])
            os.environ["VSQ_JOB"] = job["job_file"]
            reset_coverage()
            job["started"] = True
            _mark("start", job["index"])
        return init_test(self)

    def _score(self, *args, **kwargs):
        job = getattr(self._test, "_vsq_job", None)
        if job is None or not job.get("started"):  # never ran: the runner runs it again
            return None
        return score_test(self, *args, **kwargs)

    def _add(self, *args, **kwargs):
        add_testcase(self, *args, **kwargs)
        job = getattr(_manager()._test, "_vsq_job", None)
        if job is not None and job.get("started") and not job.get("ended"):
            own = XUnitReporter(default_attachments=[job["log"]])  # the job's own log, not the batch's
            add_testcase(own, *args, **kwargs)
            own.write(job["results"])
            job["ended"] = True
            _mark("end", job["index"])

    RegressionManager._init_test = _init
    RegressionManager._score_test = _score
    XUnitReporter.add_testcase = _add


def _manager():
    from cocotb import regression
    return regression._manager_inst


def _tests(batch):
    """One cocotb Test per job, in the batch's order."""
    out = []
    for i, job in enumerate(batch["jobs"]):
        mod = import_module(job["module"])
        found = []
        for obj in vars(mod).values():  # as cocotb's discovery: tests and generated tests
            if isinstance(obj, Test):
                found.append(obj)
            elif isinstance(obj, TestGenerator):
                found.extend(obj.generate_tests())
        if len(found) != 1:
            raise RuntimeError(f"{job['module']}: expected one test, found {len(found)}")
        t = copy.copy(found[0])
        t._vsq_job = dict(job, index=i)
        out.append(t)
    return out


_patch_manager()
# cocotb's discovery takes every Test among this module's names: one per job, nothing else.
globals().update({f"job_{i}": t for i, t in enumerate(_tests(json.loads(Path(os.environ["VSQ_BATCH"]).read_text())))})
