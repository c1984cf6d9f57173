"""The Softermax reciprocal table alone (tb/common/table_sweep.py)."""

from tb.common.testbench import Testbench

TESTBENCH = Testbench(name="sm_recip", toplevel="vsq_sm_recip", rtl=("vsq_sm_recip.v",), param_names=())
