from models.contract import MAX_L
from tb.common.testbench import Testbench

TESTBENCH = Testbench(
    name="softmax",
    toplevel="vsq_softmax",
    rtl=("vsq_softmax.v", "vsq_sm_exp2.v", "vsq_sm_recip.v", "vsq_fifo.v"),
    param_names=("LANES", "VEC", "ACC_DEPTH"),
    extra_params={"MAX_L": MAX_L},
)
