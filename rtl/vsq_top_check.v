// vsq_top_check: the start check of the accelerator top (docs/rtl-top.md,
// "Error handling"). Combinational over the configuration registers; returns
// the lowest broken rule of the error table of docs/interfaces.md among the
// codes a start can break (1..11), 0 when the GEMM is legal.
//
// It is the union of the engine's check (codes 1..7, vsq_engine "Start check")
// and the PPU's (1, 2, 8..11, vsq_ppu cfg_err) evaluated together, so that the
// top can refuse an illegal start before either block sees it. As in the
// engine, the rules that need V (4 K_MULT, 5 A_CAP, 6 B_CAP) are not evaluated
// for the unknown mode 3, whose code 7 is then the lowest candidate after 1..3.
module vsq_top_check #(
    parameter LANES     = 16,
    parameter VEC       = 64,
    parameter ACC_DEPTH = 16,
    parameter A_DEPTH   = 128,
    parameter B_DEPTH   = 2048,
    parameter PPU_ROWS  = LANES * A_DEPTH,
    parameter MAX_L     = 1024
) (
    input  wire [15:0] m,
    input  wire [15:0] n,
    input  wire [15:0] k,
    input  wire [1:0]  mode,
    input  wire [2:0]  out_mode,
    output reg  [3:0]  code
);
    localparam LOG_L    = $clog2(LANES);
    localparam LOG_AD   = $clog2(ACC_DEPTH);
    localparam LOG_V    = $clog2(VEC);
    localparam LOG_V_M1 = LOG_V - 1;
    localparam [31:0] A_CAP  = A_DEPTH;
    localparam [31:0] B_CAP  = B_DEPTH;
    localparam [31:0] ROWS32 = PPU_ROWS;
    localparam [31:0] MAXL32 = MAX_L;
    localparam integer VO4_M1_I = VEC - 1;       // int4_vsq: Vo = VEC
    localparam integer VO8_M1_I = VEC / 2 - 1;   // int8_vsq: Vo = VEC/2
    localparam [15:0] VO4_M1 = VO4_M1_I[15:0];
    localparam [15:0] VO8_M1 = VO8_M1_I[15:0];

    wire [4:0]  log_v  = (mode == 2'd0) ? LOG_V_M1[4:0] : LOG_V[4:0];
    wire [15:0] v_mask = ~(16'hFFFF << log_v);
    wire [15:0] kv     = k >> log_v;
    wire [15:0] mt     = m >> LOG_L;
    wire [31:0] a_need = mt * kv;
    wire [31:0] b_need = n * kv;
    wire        vsq4   = (out_mode == 3'd3);
    wire        vsq8   = (out_mode == 3'd4);

    always @* begin
        if (m == 16'd0 || n == 16'd0 || k == 16'd0)                  code = 4'd1;   // ZERO_DIM
        else if (m[LOG_L-1:0] != {LOG_L{1'b0}})                      code = 4'd2;   // M_MULT
        else if (n[LOG_AD-1:0] != {LOG_AD{1'b0}})                    code = 4'd3;   // N_MULT
        else if (mode == 2'd3)                                       code = 4'd7;   // MODE
        else if ((k & v_mask) != 16'd0)                              code = 4'd4;   // K_MULT
        else if (a_need > A_CAP)                                     code = 4'd5;   // A_CAP
        else if (b_need > B_CAP)                                     code = 4'd6;   // B_CAP
        else if (out_mode > 3'd5)                                    code = 4'd8;   // OUT_MODE
        else if (out_mode == 3'd5 && {16'd0, m} > MAXL32)             code = 4'd9;   // SOFTMAX_LEN
        else if ((vsq4 && (m & VO4_M1) != 16'd0) ||
                 (vsq8 && (m & VO8_M1) != 16'd0))                    code = 4'd10;  // VO_MULT
        else if ({16'd0, m} > ROWS32)                                 code = 4'd11;  // PPU_ROWS
        else                                                         code = 4'd0;
    end
endmodule
