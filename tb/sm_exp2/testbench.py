"""The Softermax power-of-two table alone (tb/common/table_sweep.py)."""

from tb.common.testbench import Testbench

TESTBENCH = Testbench(name="sm_exp2", toplevel="vsq_sm_exp2", rtl=("vsq_sm_exp2.v",), param_names=())
