from tb.common.testbench import Testbench

TESTBENCH = Testbench(
    name="lane",
    toplevel="vsq_lane",
    rtl=("vsq_lane.v", "vsq_dot.v", "vsq_sat_add.v"),
    param_names=("VEC",),
)
