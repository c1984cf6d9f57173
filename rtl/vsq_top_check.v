// vsq_top_check: the start check of the accelerator top (docs/rtl-top.md,
// "Error handling"). Combinational over the configuration registers; returns
// the first broken rule of the error table of docs/interfaces.md among the
// codes a start can break (1..11, models/contract rules), 0 when the GEMM is
// legal.
//
// It applies the engine's check (vsq_engine_check, codes 1..7) and then the
// PPU's (vsq_ppu_check, codes 1, 2, 8..11): the same modules the blocks
// refuse their own starts with, so that the top refuses an illegal start
// before either block sees it. The PPU's 1 and 2 are the engine's too, so
// when the engine's check passes only the PPU's 8..11 remain.
`include "vsq_defs.vh"
module vsq_top_check #(
    parameter LANES     = 16,
    parameter VEC       = 64,
    parameter ACC_DEPTH = 16,
    parameter A_DEPTH   = 128,
    parameter B_DEPTH   = 2048,
    parameter PPU_ROWS  = LANES * A_DEPTH,
    parameter MAX_L     = `VSQ_MAX_L
) (
    input  wire [15:0] m,
    input  wire [15:0] n,
    input  wire [15:0] k,
    input  wire [1:0]  mode,
    input  wire [2:0]  out_mode,
    output wire [3:0]  code
);
    wire [3:0] eng_code, ppu_code;
    vsq_engine_check #(
        .LANES(LANES), .VEC(VEC), .ACC_DEPTH(ACC_DEPTH), .A_DEPTH(A_DEPTH), .B_DEPTH(B_DEPTH)
    ) u_eng (
        .m(m), .n(n), .k(k), .mode(mode), .code(eng_code)
    );
    vsq_ppu_check #(.LANES(LANES), .VEC(VEC), .PPU_ROWS(PPU_ROWS), .MAX_L(MAX_L)) u_ppu (
        .m(m), .out_mode(out_mode), .code(ppu_code)
    );
    assign code = (eng_code != `VSQ_ERR_NONE) ? eng_code : ppu_code;
endmodule
