// vsq_ppu_check: the PPU's start check (docs/rtl-ppu.md), the one RTL copy
// of it: vsq_ppu refuses its own starts with it (cfg_err), and the top's
// check (vsq_top_check) applies it after the engine's. Combinational; returns
// the first broken rule of the PPU's subset of the error table (models/contract
// rules: ZERO_DIM, M_MULT, OUT_MODE, SOFTMAX_LEN, VO_MULT, PPU_ROWS; the PPU
// sees M and out_mode only), 0 when the start is legal.
`include "vsq_defs.vh"
module vsq_ppu_check #(
    parameter LANES    = 16,
    parameter VEC      = 64,
    parameter PPU_ROWS = 2048,
    parameter MAX_L    = `VSQ_MAX_L
) (
    input  wire [15:0] m,
    input  wire [2:0]  out_mode,
    output reg  [3:0]  code
);
    localparam [15:0] LANES16 = LANES[15:0];
    localparam [15:0] VEC16   = VEC[15:0];            // int4_vsq: Vo = VEC
    localparam integer WV     = VEC / 2;
    localparam [15:0] WV16    = WV[15:0];             // int8_vsq: Vo = VEC/2
    localparam [16:0] MAXL17  = MAX_L[16:0];
    localparam [16:0] ROWS17  = PPU_ROWS[16:0];

    wire        vsq = (out_mode == `VSQ_OUT_INT4_VSQ) || (out_mode == `VSQ_OUT_INT8_VSQ);
    wire [15:0] vo  = (out_mode == `VSQ_OUT_INT4_VSQ) ? VEC16 : WV16;
    always @* begin
        if (m == 16'd0)                                              code = `VSQ_ERR_ZERO_DIM;
        else if ((m % LANES16) != 16'd0)                             code = `VSQ_ERR_M_MULT;
        else if (out_mode > `VSQ_OUT_MAX)                            code = `VSQ_ERR_OUT_MODE;
        else if (out_mode == `VSQ_OUT_SOFTMAX && {1'b0, m} > MAXL17) code = `VSQ_ERR_SOFTMAX_LEN;
        else if (vsq && (m % vo) != 16'd0)                           code = `VSQ_ERR_VO_MULT;
        else if ({1'b0, m} > ROWS17)                                 code = `VSQ_ERR_PPU_ROWS;
        else                                                         code = `VSQ_ERR_NONE;
    end
endmodule
