from tb.common.testbench import TB_DIR, Testbench
from tb.sim import BENCH_OPT_ARGS
from tb.top.testbench import TESTBENCH as TOP

# vsq_top inside a wrapper whose AXI4-Stream ports are played and recorded by
# the model itself (DPI-C, hdl/fast_stream.cpp); -rdynamic exports the C++
# functions to Python's ctypes in the same process. Verilator only. Built for
# speed (benches, long jobs): tb.sim's BENCH_OPT_ARGS.
TESTBENCH = Testbench(
    name="topfast",
    toplevel="vsq_top_fast",
    rtl=TOP.rtl,
    param_names=TOP.param_names,
    tb_sources=("topfast/hdl/vsq_top_fast.sv",),
    sims=("verilator",),
    verilator_args=(str(TB_DIR / "topfast" / "hdl" / "fast_stream.cpp"), "-LDFLAGS", "-rdynamic", *BENCH_OPT_ARGS),
)
