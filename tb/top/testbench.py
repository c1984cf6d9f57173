from tb.common.testbench import Testbench

TESTBENCH = Testbench(
    name="top",
    toplevel="vsq_top",
    rtl=("vsq_top.v", "vsq_top_regs.v", "vsq_top_check.v", "vsq_top_load.v", "vsq_top_queue.v",
         "vsq_engine.v", "vsq_engine_check.v", "vsq_engine_lane.v", "vsq_ram.v", "vsq_dot.v", "vsq_sat_add.v",
         "vsq_ppu.v", "vsq_ppu_check.v", "vsq_ppu_table.v", "vsq_ppu_y.v", "vsq_ppu_qword.v", "vsq_ppu_quant.v",
         "vsq_recip.v", "vsq_softmax.v", "vsq_sm_exp2.v", "vsq_sm_recip.v", "vsq_fifo.v"),
    param_names=("LANES", "VEC", "ACC_DEPTH", "A_DEPTH", "B_DEPTH", "OUT_DEPTH"),
)
