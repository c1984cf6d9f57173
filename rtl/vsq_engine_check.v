// vsq_engine_check: the engine's start check (docs/rtl-engine.md, "Start
// check"), the one RTL copy of it: vsq_engine refuses its own starts with it,
// and the top's check (vsq_top_check) applies it before either block starts.
// Combinational; returns the first broken rule of the engine's subset of the
// error table (models/contract rules: ZERO_DIM, M_MULT, N_MULT, MODE, K_MULT,
// A_CAP, B_CAP), 0 when the start is legal. V = VEC/2 in int8, VEC
// otherwise; for an unknown mode V is undefined, so the rules that need it
// (K_MULT, A_CAP, B_CAP) are not evaluated and MODE follows N_MULT.
`include "vsq_defs.vh"
module vsq_engine_check #(
    parameter LANES     = 16,
    parameter VEC       = 64,
    parameter ACC_DEPTH = 16,
    parameter A_DEPTH   = 128,
    parameter B_DEPTH   = 2048
) (
    input  wire [15:0] m,
    input  wire [15:0] n,
    input  wire [15:0] k,
    input  wire [1:0]  mode,
    output reg  [3:0]  code
);
    localparam LOG_L    = $clog2(LANES);
    localparam LOG_AD   = $clog2(ACC_DEPTH);
    localparam LOG_V    = $clog2(VEC);
    localparam LOG_V_M1 = LOG_V - 1;
    localparam [31:0] A_CAP = A_DEPTH;
    localparam [31:0] B_CAP = B_DEPTH;

    wire [4:0]  log_v  = (mode == `VSQ_MODE_INT8) ? LOG_V_M1[4:0] : LOG_V[4:0];
    wire [15:0] v_mask = ~(16'hFFFF << log_v);
    wire [15:0] kv     = k >> log_v;
    wire [15:0] mt     = m >> LOG_L;
    wire [31:0] a_need = mt * kv;
    wire [31:0] b_need = n * kv;

    always @* begin
        if (m == 16'd0 || n == 16'd0 || k == 16'd0)  code = `VSQ_ERR_ZERO_DIM;
        else if (m[LOG_L-1:0] != {LOG_L{1'b0}})      code = `VSQ_ERR_M_MULT;
        else if (n[LOG_AD-1:0] != {LOG_AD{1'b0}})    code = `VSQ_ERR_N_MULT;
        else if (mode > `VSQ_MODE_MAX)               code = `VSQ_ERR_MODE;
        else if ((k & v_mask) != 16'd0)              code = `VSQ_ERR_K_MULT;
        else if (a_need > A_CAP)                     code = `VSQ_ERR_A_CAP;
        else if (b_need > B_CAP)                     code = `VSQ_ERR_B_CAP;
        else                                         code = `VSQ_ERR_NONE;
    end
endmodule
