"""The real MiniLM layer-0 case files through the top (issue 8): QKᵀ of one
head with out_mode softmax, P·V on the RTL's own P, and one FFN GEMM, bit-exact
against models/ (tb.top.seq_lib.real_data_seq)."""

import pyuvm

from tb.common.testbench import REPO
from tb.top.base_test import TopBaseTest
from tb.top.seq_lib.real_data_seq import DATA, TopRealDataSeq, load_cases

# The parameter sets this test runs in: the case files are for VEC=64,
# LANES=16. The regression lists read this line (tools/regress/spec.py,
# without importing the file) and leave the test out of the other sets.
PARAM_SETS = ("paper",)


@pyuvm.test()
class TopRealDataTest(TopBaseTest):
    seq_class = TopRealDataSeq

    def build_phase(self):
        super().build_phase()
        cases, p = load_cases(), self.cfg.params
        # Refused in one line rather than failing on a mismatch deep in a GEMM.
        for name, case in cases.items():
            if (case["vec"], case["lanes"]) != (p["VEC"], p["LANES"]):
                raise RuntimeError(
                    f"top_real_data_test needs PARAMS={'|'.join(PARAM_SETS)}: {DATA.relative_to(REPO) / name} "
                    f"is for VEC={case['vec']}, LANES={case['lanes']}, this run has PARAMS={self.cfg.param_set} "
                    f"(VEC={p['VEC']}, LANES={p['LANES']})")
        self.knobs = {"cases": cases}
