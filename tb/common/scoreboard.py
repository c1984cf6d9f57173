"""Scoreboard base: counts compares, keeps the first mismatches, and fails the
test in check_phase with the first mismatching element and the repro line.

Subclasses compute expected values with models/ only and call `compare`.
"""

import numpy as np
from pyuvm import ConfigDB, uvm_component

MAX_REPORTED = 5


class CompareScoreboard(uvm_component):
    def build_phase(self):
        self.cfg = ConfigDB().get(self, "", "cfg")
        self.compared = 0  # elements compared
        self.mismatches = []  # (what, index, expected, actual)
        self.mismatch_count = 0

    def compare(self, what, expected, actual):
        """Compare two arrays element by element; `what` names the transaction."""
        expected = np.asarray(expected)
        actual = np.asarray(actual)
        if expected.shape != actual.shape:
            self._record(what, "shape", expected.shape, actual.shape)
            return False
        self.compared += expected.size
        bad = np.argwhere(expected != actual)
        for idx in bad[: max(0, MAX_REPORTED - len(self.mismatches))]:
            idx = tuple(int(i) for i in idx)
            self._record(what, idx, expected[idx], actual[idx])
        self.mismatch_count += len(bad) - min(len(bad), MAX_REPORTED)
        return len(bad) == 0

    def _record(self, what, idx, exp, act):
        self.mismatch_count += 1
        self.mismatches.append((what, idx, exp, act))
        self.logger.error(f"MISMATCH {what} at {idx}: expected {exp}, got {act}")

    def check_phase(self):
        if self.mismatch_count:
            what, idx, exp, act = self.mismatches[0]
            raise AssertionError(
                f"{self.mismatch_count} mismatching element(s); first: {what} at {idx}: "
                f"expected {exp}, got {act}. Reproduce: {self.cfg.repro()}")
        if self.compared == 0:
            raise AssertionError(f"the scoreboard compared nothing. Reproduce: {self.cfg.repro()}")
        self.logger.info(f"scoreboard: {self.compared} elements compared, 0 mismatches")
