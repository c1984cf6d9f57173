from tb.common.testbench import Testbench

TESTBENCH = Testbench(
    name="engine",
    toplevel="vsq_engine",
    rtl=("vsq_engine.v", "vsq_engine_check.v", "vsq_engine_lane.v", "vsq_ram.v", "vsq_dot.v", "vsq_sat_add.v"),
    param_names=("LANES", "VEC", "ACC_DEPTH", "A_DEPTH", "B_DEPTH"),
)
