// vsq_top_load: the operand-load stream of the accelerator top
// (AXI4-Stream slave, docs/rtl-top.md "Load stream").
//
// One word per beat (VEC*4+8 bits, the operand word of numerics.md §1).
// TDEST selects the destination; TLAST ends a load; the next beat for the
// same destination starts a new load at word 0. Each destination keeps its
// own word index, so loads of different destinations may interleave.
//   TDEST 0  A buffer, in buffer order: word i -> bank i % LANES,
//            address i / LANES (capacity LANES*A_DEPTH words)
//   TDEST 1  B buffer: word i -> address i (capacity B_DEPTH words)
//   TDEST 2  PPU g/bias table: word i carries rows i*P .. i*P+P-1, P = VEC/8;
//            row i*P+j at bits [32j+31:32j] = {g[15:0], bias[15:0]}
//            (capacity ceil(PPU_ROWS/P) words; written one row per cycle)
//   TDEST 3  reserved: no buffer (capacity 0)
// A word past the capacity is dropped; `ovf` pulses once per load, at its
// first dropped word. No other destination is touched.
// Words are written into the buffers in the cycle they are accepted; table
// rows follow over the next P cycles (tready low meanwhile, except in the
// last one).
// Banks (docs/overlap-design.md): each of A, B and the table has BANKS
// copies; a load writes the bank `bank[d]` named at its first beat (LOAD_BANK,
// bit 0 A, 1 B, 2 table) to its last. A beat for a bank in use (`in_use`:
// read by a GEMM pending, running or queued) is held off (tready low) until
// the bank is free; a beat for TDEST 3 is held off while `busy`. Nothing is
// written into a bank in use.
module vsq_top_load #(
    parameter LANES    = 16,
    parameter VEC      = 64,
    parameter A_DEPTH  = 128,
    parameter B_DEPTH  = 2048,
    parameter PPU_ROWS = LANES * A_DEPTH
) (
    input  wire                       clk,
    input  wire                       rst_n,      // synchronous, active low
    input  wire                       clear,      // soft reset: every load restarts at word 0
    input  wire                       busy,       // a GEMM is pending, running or queued
    input  wire [2:0]                 bank,       // LOAD_BANK: bank of the next load, per destination
    input  wire [5:0]                 in_use,     // {table, B, A} x {bank 1, bank 0}: banks a GEMM reads

    input  wire [VEC*4+7:0]           s_tdata,
    input  wire                       s_tvalid,
    output wire                       s_tready,
    input  wire                       s_tlast,
    input  wire [1:0]                 s_tdest,

    output wire                       a_we,
    output wire [$clog2(LANES)-1:0]   a_bank,
    output wire [$clog2(A_DEPTH)-1:0] a_addr,
    output wire [VEC*4+7:0]           a_wdata,
    output wire                       a_wsel,     // bank of the A word
    output wire                       b_we,
    output wire [$clog2(B_DEPTH)-1:0] b_addr,
    output wire [VEC*4+7:0]           b_wdata,
    output wire                       b_wsel,
    output wire                       tbl_we,
    output wire [15:0]                tbl_row,
    output wire [15:0]                tbl_g,
    output wire [15:0]                tbl_bias,
    output wire                       tbl_wsel,

    output wire                       idle,       // no table row left to write
    output reg                        ovf,        // pulse: a load overflowed its destination
    output reg  [31:0]                cnt_a,      // words received by the current/last load
    output reg  [31:0]                cnt_b,
    output reg  [31:0]                cnt_t
);
    localparam W     = VEC * 4 + 8;
    localparam P     = VEC / 8;                       // table rows per word
    localparam LOG_L = $clog2(LANES);
    localparam AAW   = $clog2(A_DEPTH);
    localparam BAW   = $clog2(B_DEPTH);
    localparam PW    = (P > 1) ? $clog2(P) : 1;
    localparam integer CAP_T_I = (PPU_ROWS + P - 1) / P;
    localparam [31:0] CAP_A   = LANES * A_DEPTH;
    localparam [31:0] CAP_B   = B_DEPTH;
    localparam [31:0] CAP_T   = CAP_T_I;
    localparam [31:0] ROWS32  = PPU_ROWS;
    localparam [31:0] P32     = P;
    localparam integer P_M1_I = P - 1;
    localparam [PW-1:0] P_M1  = P_M1_I[PW-1:0];

    generate
        if ((VEC % 8) != 0 || PPU_ROWS > 65535) begin : g_bad
            PARAMETER_ERROR_vsq_top_load_VEC_must_be_a_multiple_of_8_and_PPU_ROWS_at_most_65535 u_param_error ();
        end
    endgenerate

    // ---------------------------------------------------------------- table serializer
    reg            t_busy;
    reg [PW-1:0]   t_j;
    reg [31:0]     t_row;
    reg [VEC*4-1:0] t_buf;

    // ---------------------------------------------------------------- word indices and banks
    reg fresh_a, fresh_b, fresh_t, fresh_r;           // the next beat starts a new load
    reg sel_a, sel_b, sel_t;                          // bank of the load in progress
    reg t_sel;                                        // bank of the table word being written
    wire cur_a = fresh_a ? bank[0] : sel_a;           // bank a beat of each destination writes
    wire cur_b = fresh_b ? bank[1] : sel_b;
    wire cur_t = fresh_t ? bank[2] : sel_t;
    reg held;                                         // the beat's bank is in use
    always @* begin
        case (s_tdest)
            2'd0:    held = in_use[{1'b0, 1'b0, cur_a}];
            2'd1:    held = in_use[{1'b0, 1'b1, cur_b}];
            2'd2:    held = in_use[{1'b1, 1'b0, cur_t}];
            default: held = busy;
        endcase
    end

    assign s_tready = !held && !clear && (!t_busy || t_j == P_M1);
    wire fire = s_tvalid && s_tready;
    wire [31:0] base_a = fresh_a ? 32'd0 : cnt_a;
    wire [31:0] base_b = fresh_b ? 32'd0 : cnt_b;
    wire [31:0] base_t = fresh_t ? 32'd0 : cnt_t;
    wire to_a = fire && (s_tdest == 2'd0);
    wire to_b = fire && (s_tdest == 2'd1);
    wire to_t = fire && (s_tdest == 2'd2);
    wire to_r = fire && (s_tdest == 2'd3);

    assign a_we    = to_a && (base_a < CAP_A);
    assign a_bank  = base_a[LOG_L-1:0];
    wire [31:0] a_addr32 = base_a >> LOG_L;
    assign a_addr  = a_addr32[AAW-1:0];
    assign a_wdata = s_tdata;
    assign a_wsel  = cur_a;
    assign b_we    = to_b && (base_b < CAP_B);
    assign b_addr  = base_b[BAW-1:0];
    assign b_wdata = s_tdata;
    assign b_wsel  = cur_b;
    wire   t_take  = to_t && (base_t < CAP_T);

    assign tbl_we   = t_busy && (t_row < ROWS32);
    assign tbl_row  = t_row[15:0];
    assign tbl_g    = t_buf[31:16];
    assign tbl_bias = t_buf[15:0];
    assign tbl_wsel = t_sel;
    assign idle     = !t_busy;

    function [31:0] inc_sat(input [31:0] v);
        inc_sat = (v == 32'hFFFF_FFFF) ? v : v + 32'd1;
    endfunction

    always @(posedge clk) begin
        if (!rst_n || clear) begin
            t_busy  <= 1'b0;
            t_j     <= {PW{1'b0}};
            t_row   <= 32'd0;
            fresh_a <= 1'b1;
            fresh_b <= 1'b1;
            fresh_t <= 1'b1;
            fresh_r <= 1'b1;
            cnt_a   <= 32'd0;
            cnt_b   <= 32'd0;
            cnt_t   <= 32'd0;
            ovf     <= 1'b0;
        end else begin
            ovf <= (to_a && base_a == CAP_A) || (to_b && base_b == CAP_B) ||
                   (to_t && base_t == CAP_T) || (to_r && fresh_r);
            if (to_a) begin
                sel_a   <= cur_a;
                cnt_a   <= inc_sat(base_a);
                fresh_a <= s_tlast;
            end
            if (to_b) begin
                sel_b   <= cur_b;
                cnt_b   <= inc_sat(base_b);
                fresh_b <= s_tlast;
            end
            if (to_t) begin
                sel_t   <= cur_t;
                cnt_t   <= inc_sat(base_t);
                fresh_t <= s_tlast;
            end
            if (to_r)
                fresh_r <= s_tlast;

            // table rows: one per cycle from the latched word
            if (t_take) begin
                t_busy <= 1'b1;
                t_j    <= {PW{1'b0}};
                t_row  <= base_t * P32;
            end else if (t_busy) begin
                t_row <= t_row + 32'd1;
                t_j   <= t_j + 1'b1;
                if (t_j == P_M1)
                    t_busy <= 1'b0;
            end
        end
    end

    // Table data: the latched word, shifted down one row per cycle (no reset needed).
    always @(posedge clk) begin
        if (t_take) begin
            t_buf <= s_tdata[VEC*4-1:0];
            t_sel <= cur_t;
        end
        else if (t_busy) begin
            t_buf <= t_buf >> 32;
        end
    end

    wire unused = &{1'b0, a_addr32[31:AAW], base_b[31:BAW], t_row[31:16], s_tdata[W-1:VEC*4]};

`ifdef VSQ_ASSERT
    // Invariants (formal/README.md), sampled at the clock edge.
    reg a_live;
    initial a_live = 1'b0;
    reg a_cleared;               // the last edge was a reset or a clear
    always @(posedge clk) begin
        if (!rst_n) a_live <= 1'b1;
        a_cleared <= !rst_n || clear;
        if (a_live && rst_n) begin
            // a beat writes its own destination only; a dropped (overflowing) word writes nothing
            assert(!a_we || to_a);
            assert(!b_we || to_b);
            assert(!t_take || to_t);
            assert(!(to_a && base_a >= CAP_A) || (!a_we && !b_we && !t_take));
            assert(!(to_b && base_b >= CAP_B) || (!a_we && !b_we && !t_take));
            assert(!(to_t && base_t >= CAP_T) || (!a_we && !b_we && !t_take));
            assert(!to_r || (!a_we && !b_we && !t_take));
            // nothing is written into a bank a GEMM reads (the table: its word is taken into a free bank)
            assert(!a_we || !in_use[{2'b00, cur_a}]);
            assert(!b_we || !in_use[{2'b01, cur_b}]);
            assert(!t_take || !in_use[{2'b10, cur_t}]);
            assert(!to_r || !busy);
            assert(!tbl_we || t_row < ROWS32);
            if (a_cleared)                                    // reset / soft reset: every load idle at word 0
                assert(!t_busy && fresh_a && fresh_b && fresh_t && fresh_r && !ovf
                       && cnt_a == 32'd0 && cnt_b == 32'd0 && cnt_t == 32'd0);
        end
    end
`endif
endmodule
