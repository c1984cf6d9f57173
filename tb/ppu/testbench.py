from models.contract import MAX_L
from tb.common.testbench import Testbench

TESTBENCH = Testbench(
    name="ppu",
    toplevel="vsq_ppu",
    rtl=("vsq_ppu.v", "vsq_ppu_check.v", "vsq_ppu_table.v", "vsq_ppu_y.v", "vsq_ppu_qword.v", "vsq_ppu_quant.v",
         "vsq_recip.v", "vsq_softmax.v", "vsq_sm_exp2.v", "vsq_sm_recip.v", "vsq_fifo.v"),
    # PPU_ROWS defaults to LANES * A_DEPTH (the largest M the A buffer holds).
    param_names=("LANES", "VEC", "ACC_DEPTH", "A_DEPTH"),
    extra_params={"MAX_L": MAX_L},
)
