// vsq_softmax: the approximate softmax (Softermax) unit, numerics.md §6,
// bit-exact. Block size B = LANES: one input beat is one block of one column.
//
// Input: the PPU's x values (int8, Q5.2) in the engine's n_outer = 1 tile
// order (docs/interfaces.md): for n-tile, for m-tile (= block b), for column
// a in ACC_DEPTH. The unit keeps per-column pass-1 state (integer running max
// m, Q10.10 running sum d) for the ACC_DEPTH columns of an n-tile and stores
// every x of the tile (MAX_L rows x ACC_DEPTH columns x 8 bits). When the last
// block of a column has been seen, its sum goes through the 8-segment
// reciprocal; when all ACC_DEPTH columns are complete, pass 2 reads VEC/2
// stored x per cycle and emits one output word (VEC/2 Q1.7 probabilities,
// numerics.md §1 INT8 layout, scale field 0), in the order
// for row group (VEC/2 rows), for column. Pass 2 of one n-tile overlaps pass 1
// of the next: a beat of the next tile is written only behind pass 2's read
// pointer. Rows past L in the last group (L not a multiple of VEC/2) read 0.
//
// Pass 2 uses u'[j] = u[j] >> (Mx - m[b(j)]) = POW2[E & 3] >> (E >> 2) with
// E = 4*Mx - x[j] (the two floor shifts compose), so only x and the column's
// final max Mx are stored. See docs/rtl-ppu.md.
//
// Control: `start` (while idle) latches cfg_len = L; an illegal L (0, not a
// multiple of LANES, or over MAX_L: codes 1, 2, 9) is refused: err_code is set
// and the unit stays idle. `done` pulses when the word carrying o_last leaves.
`include "vsq_defs.vh"
module vsq_softmax #(
    parameter LANES     = 16,
    parameter VEC       = 64,
    parameter ACC_DEPTH = 16,
    parameter MAX_L     = `VSQ_MAX_L,
    parameter OUT_FIFO  = 4
) (
    input  wire                 clk,
    input  wire                 rst_n,        // synchronous, active low
    input  wire                 clear,        // soft reset: back to idle, state cleared

    input  wire                 start,
    input  wire [15:0]          cfg_len,      // L = rows per column (= M)
    output reg  [3:0]           cfg_err,      // legality of cfg_len (combinational)
    output reg                  busy,
    output reg                  err,          // 1-cycle pulse: a start was refused
    output reg  [3:0]           err_code,     // code of the last refused start, 0 after a legal one
    output reg                  done,

    input  wire                 s_valid,
    output wire                 s_ready,
    input  wire [LANES*8-1:0]   s_x,          // lane l's int8 x at [8l+7:8l]
    input  wire [15:0]          s_mt,         // block index b (m-tile)
    input  wire [15:0]          s_n,          // column n
    input  wire                 s_last,       // last beat of the GEMM

    output wire                 o_valid,
    input  wire                 o_ready,
    output wire [VEC*4+7:0]     o_data,
    output wire [15:0]          o_n,
    output wire [15:0]          o_grp,        // word index along m within the column
    output wire [15:0]          o_row,        // first row of the word
    output wire                 o_last
);
    localparam WV     = VEC / 2;                  // probabilities per output word
    localparam P2     = WV / LANES;               // blocks per output word (banks)
    localparam GMAX   = (MAX_L + WV - 1) / WV;    // output words per column, max
    localparam SDEPTH = GMAX * ACC_DEPTH;         // storage words per bank
    localparam SAW    = (SDEPTH > 1) ? $clog2(SDEPTH) : 1;
    localparam AW     = (ACC_DEPTH > 1) ? $clog2(ACC_DEPTH) : 1;
    localparam DW     = VEC * 4 + 8;
    localparam FW     = DW + 16 + 16 + 16 + 1;    // FIFO entry: word + sideband
    localparam CNT_W  = $clog2(OUT_FIFO + 1);

    localparam [15:0] LANES16 = LANES[15:0];
    localparam [15:0] WV16    = WV[15:0];
    localparam [15:0] P216    = P2[15:0];
    localparam [15:0] ACC16   = ACC_DEPTH[15:0];
    localparam [16:0] MAXL17  = MAX_L[16:0];
    localparam integer   LAST_COL_I = ACC_DEPTH - 1;
    localparam [AW-1:0]  LAST_COL = LAST_COL_I[AW-1:0];
    localparam [CNT_W:0] FIFO_CAP = OUT_FIFO;

    // ---------------------------------------------------------------- legality
    // Build-time rules. A broken rule instantiates a module that does not
    // exist, so elaboration stops (Icarus and Verilator) naming the rule.
    generate
        if ((VEC % 8) != 0 || WV < LANES || (WV % LANES) != 0) begin : g_bad_vec
            PARAMETER_ERROR_vsq_softmax_VEC_must_be_a_multiple_of_8_and_VEC_div_2_a_multiple_of_LANES u_param_error ();
        end
        if (MAX_L < LANES || MAX_L > 65535 || OUT_FIFO < 2 || ACC_DEPTH < 1) begin : g_bad_len
            PARAMETER_ERROR_vsq_softmax_need_LANES_le_MAX_L_le_65535_and_OUT_FIFO_ge_2 u_param_error ();
        end
    endgenerate

    always @* begin
        if (cfg_len == 16'd0)
            cfg_err = `VSQ_ERR_ZERO_DIM;
        else if ((cfg_len % LANES16) != 16'd0)
            cfg_err = `VSQ_ERR_M_MULT;
        else if ({1'b0, cfg_len} > MAXL17)
            cfg_err = `VSQ_ERR_SOFTMAX_LEN;
        else
            cfg_err = `VSQ_ERR_NONE;
    end

    // Latched configuration.
    reg [15:0] len;            // L
    reg [15:0] blk_last;       // L / LANES - 1
    reg [15:0] grp_last;       // ceil(L / WV) - 1

    // ---------------------------------------------------------------- stage A: input register
    reg                 a_v;
    reg [LANES*8-1:0]   a_x;
    reg [15:0]          a_mt, a_n;
    reg                 a_last;
    reg [AW-1:0]        a_col;
    wire                a_fire;

    wire [15:0] s_col16 = s_n % ACC16;
    wire [15:0] a_g16   = a_mt / P216;            // output word group of this block
    wire [15:0] a_bank16 = a_mt % P216;

    assign s_ready = busy && (!a_v || a_fire);
    wire s_fire = s_valid && s_ready;

    // ---------------------------------------------------------------- pass 1 (from stage A)
    reg signed [6:0]  m_run [0:ACC_DEPTH-1];      // integer running max per column
    reg        [19:0] d_run [0:ACC_DEPTH-1];      // Q10.10 running sum per column

    wire first_blk = (a_mt == 16'd0);
    wire col_end   = (a_mt == blk_last);

    // cb = max over the block of c[j] = ceil(x[j]/4) = (x[j] + 3) >> 2, in -32..32.
    reg signed [6:0] cb;
    reg signed [9:0] cj;
    integer jm;
    always @* begin
        cb = -7'sd64;
        cj = 10'sd0;
        for (jm = 0; jm < LANES; jm = jm + 1) begin
            cj = ($signed({{2{a_x[8*jm+7]}}, a_x[8*jm +: 8]}) + 10'sd3) >>> 2;
            if ($signed(cj[6:0]) > cb)
                cb = cj[6:0];
        end
    end

    wire signed [6:0] m_old = m_run[a_col];
    wire        [19:0] d_old = d_run[a_col];
    wire signed [6:0] m_new = (first_blk || cb > m_old) ? cb : m_old;
    wire signed [7:0] m_inc8 = {m_new[6], m_new} - {m_old[6], m_old};       // 0..64 when !first_blk
    wire        [6:0] m_inc  = m_inc8[6:0];

    wire [LANES*16-1:0] u1;
    genvar gl;
    generate
        for (gl = 0; gl < LANES; gl = gl + 1) begin : g_p1
            wire signed [9:0] e = {m_new[6], m_new, 2'b00} - {{2{a_x[8*gl+7]}}, a_x[8*gl +: 8]};
            vsq_sm_exp2 u_exp (.e(e[8:0]), .u(u1[16*gl +: 16]));
            wire unused_e = e[9];
        end
    endgenerate

    localparam SB_W = 11 + $clog2(LANES + 1);
    reg [SB_W-1:0] sb;
    integer js;
    always @* begin
        sb = {SB_W{1'b0}};
        for (js = 0; js < LANES; js = js + 1)
            sb = sb + {{(SB_W-11){1'b0}}, u1[16*js+5 +: 11]};               // u >> 5, Q10.10
    end

    wire [19:0] d_shift = first_blk ? 20'd0 : (d_old >> m_inc);
    wire [20:0] d_sum   = {1'b0, d_shift} + {{(21-SB_W){1'b0}}, sb};
    wire [19:0] d_new   = d_sum[20] ? 20'hFFFFF : d_sum[19:0];

    // ---------------------------------------------------------------- x storage (P2 banks)
    // Bank k holds blocks with mt % P2 == k; address = group * ACC_DEPTH + column.
    wire [31:0] a_addr32 = {16'd0, a_g16} * ACC_DEPTH + {{(32-AW){1'b0}}, a_col};
    wire [SAW-1:0] a_addr = a_addr32[SAW-1:0];

    // Pass-2 read side.
    reg                 p2_act;                   // reads of the current tile remain
    reg [15:0]          p2_g;
    reg [AW-1:0]        p2_a;
    reg                 rd_v;
    reg [15:0]          rd_g;
    reg [AW-1:0]        rd_a;
    reg                 rd_fin;
    reg [WV*8-1:0]      rd_x;
    wire [31:0] p2_addr32 = {16'd0, p2_g} * ACC_DEPTH + {{(32-AW){1'b0}}, p2_a};
    wire [SAW-1:0] p2_addr = p2_addr32[SAW-1:0];
    wire [CNT_W-1:0] fifo_count;
    wire p2_issue = p2_act && ({1'b0, fifo_count} + {{CNT_W{1'b0}}, rd_v} < FIFO_CAP);

    generate
        for (gl = 0; gl < P2; gl = gl + 1) begin : g_bank
            localparam [15:0] BANK = gl;
            reg [LANES*8-1:0] mem [0:SDEPTH-1];
            always @(posedge clk) begin
                if (a_fire && a_bank16 == BANK)
                    mem[a_addr] <= a_x;
                if (p2_issue)
                    rd_x[gl*LANES*8 +: LANES*8] <= mem[p2_addr];
            end
        end
    endgenerate

    // Write interlock: storage still holds unread x of the previous tile while
    // t_done1 (tile complete, pass 2 not started) or p2_act; a block may then
    // be written only where pass 2 has already read (lexicographic (g, a)).
    reg  t_done1;
    wire behind = (a_g16 < p2_g) || (a_g16 == p2_g && a_col < p2_a);
    wire wr_ok  = t_done1 ? 1'b0 : (p2_act ? behind : 1'b1);
    assign a_fire = a_v && wr_ok;

    // ---------------------------------------------------------------- reciprocal stage
    reg           rc_v;
    reg [19:0]    rc_d;
    reg signed [6:0] rc_m;
    reg [AW-1:0]  rc_col;
    reg [15:0]    rc_n;
    wire [4:0]    rc_z;
    wire [15:0]   rc_r;
    vsq_sm_recip u_recip (.d(rc_d), .z(rc_z), .r(rc_r));

    // Per-column results of the tile in pass 1 (next) and in pass 2 (cur).
    reg signed [6:0] mx_nx [0:ACC_DEPTH-1];
    reg [4:0]        z_nx  [0:ACC_DEPTH-1];
    reg [15:0]       r_nx  [0:ACC_DEPTH-1];
    reg [15:0]       n_nx  [0:ACC_DEPTH-1];
    reg signed [6:0] mx_cu [0:ACC_DEPTH-1];
    reg [4:0]        z_cu  [0:ACC_DEPTH-1];
    reg [15:0]       r_cu  [0:ACC_DEPTH-1];
    reg [15:0]       n_cu  [0:ACC_DEPTH-1];

    reg [AW-1:0] cols_done;                       // columns of the tile finished in pass 1
    reg          tl_seen;                         // s_last seen in this tile
    reg          last_nx, last_cu;                // the tile ends the GEMM

    wire p2_start = t_done1 && !rc_v && !p2_act && !rd_v;

    integer ci;
    always @(posedge clk) begin
        if (!rst_n || clear) begin
            busy      <= 1'b0;
            err       <= 1'b0;
            err_code  <= `VSQ_ERR_NONE;
            done      <= 1'b0;
            len       <= 16'd0;
            blk_last  <= 16'd0;
            grp_last  <= 16'd0;
            a_v       <= 1'b0;
            rc_v      <= 1'b0;
            t_done1   <= 1'b0;
            p2_act    <= 1'b0;
            p2_g      <= 16'd0;
            p2_a      <= {AW{1'b0}};
            rd_v      <= 1'b0;
            cols_done <= {AW{1'b0}};
            tl_seen   <= 1'b0;
            last_nx   <= 1'b0;
            last_cu   <= 1'b0;
        end else begin
            done <= 1'b0;
            err  <= 1'b0;
            if (start && !busy) begin
                err      <= (cfg_err != `VSQ_ERR_NONE);
                err_code <= cfg_err;
                if (cfg_err == 4'd0) begin
                    busy     <= 1'b1;
                    len      <= cfg_len;
                    blk_last <= cfg_len / LANES16 - 16'd1;
                    grp_last <= (cfg_len + WV16 - 16'd1) / WV16 - 16'd1;
                end
            end
            if (o_valid && o_ready && o_last) begin
                busy <= 1'b0;
                done <= 1'b1;
            end

            // stage A
            if (s_fire) begin
                a_v    <= 1'b1;
                a_x    <= s_x;
                a_mt   <= s_mt;
                a_n    <= s_n;
                a_last <= s_last;
                a_col  <= s_col16[AW-1:0];
            end else if (a_fire) begin
                a_v <= 1'b0;
            end

            // pass 1 commit
            rc_v <= a_fire && col_end;
            if (a_fire) begin
                m_run[a_col] <= m_new;
                d_run[a_col] <= d_new;
                if (col_end) begin
                    rc_d   <= d_new;
                    rc_m   <= m_new;
                    rc_col <= a_col;
                    rc_n   <= a_n;
                    if (cols_done == LAST_COL) begin
                        cols_done <= {AW{1'b0}};
                        t_done1   <= 1'b1;
                        last_nx   <= tl_seen || a_last;
                        tl_seen   <= 1'b0;
                    end else begin
                        cols_done <= cols_done + 1'b1;
                        tl_seen   <= tl_seen || a_last;
                    end
                end else begin
                    tl_seen <= tl_seen || a_last;
                end
            end

            // reciprocal stage
            if (rc_v) begin
                mx_nx[rc_col] <= rc_m;
                z_nx[rc_col]  <= rc_z;
                r_nx[rc_col]  <= rc_r;
                n_nx[rc_col]  <= rc_n;
            end

            // pass 2 control
            if (p2_start) begin
                t_done1 <= 1'b0;
                p2_act  <= 1'b1;
                p2_g    <= 16'd0;
                p2_a    <= {AW{1'b0}};
                last_cu <= last_nx;
                for (ci = 0; ci < ACC_DEPTH; ci = ci + 1) begin
                    mx_cu[ci] <= mx_nx[ci];
                    z_cu[ci]  <= z_nx[ci];
                    r_cu[ci]  <= r_nx[ci];
                    n_cu[ci]  <= n_nx[ci];
                end
            end
            rd_v <= p2_issue;
            if (p2_issue) begin
                rd_g   <= p2_g;
                rd_a   <= p2_a;
                rd_fin <= (p2_a == LAST_COL) && (p2_g == grp_last);
                if (p2_a == LAST_COL) begin
                    p2_a <= {AW{1'b0}};
                    if (p2_g == grp_last)
                        p2_act <= 1'b0;
                    else
                        p2_g <= p2_g + 16'd1;
                end else begin
                    p2_a <= p2_a + 1'b1;
                end
            end
        end
    end

    // ---------------------------------------------------------------- pass 2 compute (from the read register)
    wire signed [6:0] p_mx = mx_cu[rd_a];
    wire        [4:0] p_z  = z_cu[rd_a];
    wire       [15:0] p_r  = r_cu[rd_a];
    wire       [31:0] row0_32 = {16'd0, rd_g} * WV;
    wire       [15:0] row0 = row0_32[15:0];
    wire       [5:0]  sh2  = {1'b0, p_z} + 6'd13;            // 13 + z, 22..32
    wire       [32:0] half2 = 33'd1 << (sh2 - 6'd1);

    wire [WV*8-1:0] probs;
    generate
        for (gl = 0; gl < WV; gl = gl + 1) begin : g_p2
            wire signed [9:0] e = {p_mx[6], p_mx, 2'b00} - {{2{rd_x[8*gl+7]}}, rd_x[8*gl +: 8]};
            wire [15:0] up;
            vsq_sm_exp2 u_exp (.e(e[8:0]), .u(up));
            wire [31:0] prod = up * p_r;                        // <= 2^30
            wire [32:0] rq   = ({1'b0, prod} + half2) >> sh2;
            localparam [16:0] ELEM = gl;
            wire [16:0] row  = {1'b0, row0} + ELEM;
            wire in_col = (row < {1'b0, len});
            assign probs[8*gl +: 8] = !in_col ? 8'd0
                                    : (rq > 33'd127) ? 8'd127 : rq[7:0];
            wire unused_e = e[9];
        end
    endgenerate

    wire [DW-1:0] p2_word = {8'd0, probs};              // WV*8 = VEC*4 data bits, scale 0
    wire [FW-1:0] fifo_in = {rd_fin && last_cu, row0, rd_g, n_cu[rd_a], p2_word};
    wire [FW-1:0] fifo_out;

    vsq_fifo #(.WIDTH(FW), .DEPTH(OUT_FIFO)) u_ofifo (
        .clk(clk), .rst_n(rst_n), .clear(clear),
        .in_valid(rd_v), .in_data(fifo_in),
        .out_valid(o_valid), .out_ready(o_ready), .out_data(fifo_out),
        .count(fifo_count)
    );

    assign o_data = fifo_out[DW-1:0];
    assign o_n    = fifo_out[DW +: 16];
    assign o_grp  = fifo_out[DW+16 +: 16];
    assign o_row  = fifo_out[DW+32 +: 16];
    assign o_last = fifo_out[DW+48];

    wire unused_hi = &{1'b0, s_col16[15:AW], cj[9:7], m_inc8[7], a_addr32[31:SAW], p2_addr32[31:SAW], row0_32[31:16]};
endmodule
