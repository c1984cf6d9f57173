// vsq_ppu: the post-processing unit (numerics.md §4, §5), with the Softermax
// unit (vsq_softmax, §6) inside it. See docs/rtl-ppu.md.
//
// Input: the engine's tile-output stream in n_outer = 1 order
// (docs/interfaces.md): for n-tile, for m-tile, for column a in ACC_DEPTH, one
// beat = the LANES int24 accumulators of rows t_mt*LANES+l of column t_n.
//
//   stage A  input register; per-row g/bias read (vsq_ppu_table: LANES banks, sync read)
//   stage Y  y = sat18(relu(rhu(acc*g, sh) + bias)) per lane (vsq_ppu_y)
//   route    out_mode acc      -> ceil(LANES/(VEC/8)) words per beat, 32-bit slots
//            int8/int4(/_vsq)  -> group buffer: Vo/LANES lane-vectors per column,
//                                 running max|y|; on the group's last beat the
//                                 column's Vo values and s = clamp(ceil(mx/Qmax),1,255)
//                                 go to stage Q
//            softmax           -> x = clamp(y, -127, 127) into vsq_softmax
//   stage Q  r = (2^17+s)//(2s), q per element, packing (vsq_ppu_qword)
//   output   word FIFO (OUT_FIFO entries), or the softmax unit's own FIFO
//
// Output words use the operand-word layout (numerics.md §1): VEC*4 data bits,
// scale at [VEC*4+7:VEC*4]. Order: for n-tile, for row group, for column
// (acc: for n-tile, for m-tile, for column, for sub-word). Sideband: o_n
// (column), o_grp (word index along m in the column), o_row (first row),
// o_last (last word of the GEMM).
//
// Control: `start` (while idle) checks and latches cfg_*; an illegal
// configuration is refused (err_code = lowest broken rule, unit stays idle,
// t_ready low). cfg_err is the same check, combinational, for the top.
// cfg_* need not be held after start. Table writes (tbl_we, one row per
// cycle, rows >= PPU_ROWS ignored) go straight into the g/bias banks; the top
// writes them only while the PPU is idle.
`include "vsq_defs.vh"
module vsq_ppu #(
    parameter LANES     = 16,
    parameter VEC       = 64,
    parameter ACC_DEPTH = 16,
    parameter A_DEPTH   = 128,
    parameter PPU_ROWS  = LANES * A_DEPTH,   // rows of the g/bias tables (max M)
    parameter MAX_L     = `VSQ_MAX_L,        // longest softmax column
    parameter OUT_FIFO  = 4,
    parameter BANKS     = 1                  // copies of the g/bias tables (1 or 2)
) (
    input  wire                 clk,
    input  wire                 rst_n,        // synchronous, active low
    input  wire                 clear,        // soft reset to idle (tables are kept)

    input  wire                 start,
    input  wire [2:0]           cfg_out_mode, // 0 acc, 1 int8, 2 int4, 3 int4_vsq, 4 int8_vsq, 5 softmax
    input  wire [4:0]           cfg_sh,
    input  wire                 cfg_relu,
    input  wire [15:0]          cfg_m,        // M, rows of the GEMM output
    output wire [3:0]           cfg_err,      // legality of cfg_* (combinational)
    output reg                  busy,
    output reg                  err,          // 1-cycle pulse: a start was refused
    output reg  [3:0]           err_code,     // code of the last refused start, 0 after a legal one
    output reg                  done,         // pulse: the last word left

    input  wire                 tbl_we,
    input  wire [15:0]          tbl_row,      // row m
    input  wire [15:0]          tbl_g,        // uint16
    input  wire [15:0]          tbl_bias,     // int16
    input  wire                 tbl_wsel,     // copy written (BANKS = 2)
    input  wire                 cfg_t_sel,    // copy the GEMM reads (latched at start)

    input  wire                 t_valid,
    output wire                 t_ready,
    input  wire [LANES*24-1:0]  t_acc,
    input  wire [15:0]          t_mt,
    input  wire [15:0]          t_n,
    input  wire                 t_last,

    output wire                 o_valid,
    input  wire                 o_ready,
    output wire [VEC*4+7:0]     o_data,
    output wire [15:0]          o_n,
    output wire [15:0]          o_grp,
    output wire [15:0]          o_row,
    output wire                 o_last
);
    localparam DW     = VEC * 4 + 8;
    localparam FW     = DW + 16 + 16 + 16 + 1;
    localparam P4     = VEC / LANES;            // lane-vectors per int4 group (Vo = VEC)
    localparam P8     = VEC / 2 / LANES;        // lane-vectors per int8 group (Vo = VEC/2)
    localparam SLOTS  = VEC / 8;                // 32-bit slots per word (acc mode)
    localparam W_ACC  = (LANES + SLOTS - 1) / SLOTS;
    localparam WAW    = (W_ACC > 1) ? $clog2(W_ACC) : 1;
    localparam AW     = (ACC_DEPTH > 1) ? $clog2(ACC_DEPTH) : 1;
    localparam CNT_W  = $clog2(OUT_FIFO + 1);

    // out_mode codes (vsq_defs.vh); int4 needs no test of its own.
    localparam [2:0] OM_ACC = `VSQ_OUT_ACC, OM_INT8 = `VSQ_OUT_INT8, OM_INT4V = `VSQ_OUT_INT4_VSQ,
                     OM_INT8V = `VSQ_OUT_INT8_VSQ, OM_SM = `VSQ_OUT_SOFTMAX;

    localparam [15:0] LANES16 = LANES[15:0];
    localparam [15:0] ACC16   = ACC_DEPTH[15:0];
    localparam [15:0] P4_16   = P4[15:0];
    localparam [15:0] P8_16   = P8[15:0];
    localparam [15:0] VEC16   = VEC[15:0];
    localparam integer WV     = VEC / 2;
    localparam [15:0] WV16    = WV[15:0];
    localparam [15:0] SLOTS16 = SLOTS[15:0];
    localparam [15:0] WACC16  = W_ACC[15:0];
    localparam integer WLAST_I = W_ACC - 1;
    localparam [WAW-1:0] WLAST = WLAST_I[WAW-1:0];
    localparam [CNT_W-1:0] FIFO_CAP = OUT_FIFO;

    // ---------------------------------------------------------------- legality
    // Build-time rules. A broken rule instantiates a module that does not
    // exist, so elaboration stops (Icarus and Verilator) naming the rule.
    generate
        if ((VEC % 8) != 0 || VEC / 2 < LANES || ((VEC / 2) % LANES) != 0) begin : g_bad_vec
            PARAMETER_ERROR_vsq_ppu_VEC_must_be_a_multiple_of_8_and_VEC_div_2_a_multiple_of_LANES u_param_error ();
        end
        if (PPU_ROWS < LANES || (PPU_ROWS % LANES) != 0 || PPU_ROWS > 65535) begin : g_bad_rows
            PARAMETER_ERROR_vsq_ppu_PPU_ROWS_must_be_a_multiple_of_LANES_up_to_65535 u_param_error ();
        end
        if (OUT_FIFO < 2 || ACC_DEPTH < 1) begin : g_bad_fifo
            PARAMETER_ERROR_vsq_ppu_OUT_FIFO_must_be_2_or_more_and_ACC_DEPTH_1_or_more u_param_error ();
        end
    endgenerate

    // Start check: vsq_ppu_check, shared with the top's check.
    vsq_ppu_check #(.LANES(LANES), .VEC(VEC), .PPU_ROWS(PPU_ROWS), .MAX_L(MAX_L)) u_check (
        .m(cfg_m), .out_mode(cfg_out_mode), .code(cfg_err)
    );

    // Latched configuration.
    reg [2:0]  mode;
    reg [4:0]  sh;
    reg        relu;
    reg [15:0] mt_last;                                       // M / LANES - 1
    reg        t_sel;                                         // table copy read
    wire is_acc = (mode == OM_ACC);
    wire is_sm  = (mode == OM_SM);
    wire is8    = (mode == OM_INT8) || (mode == OM_INT8V);
    wire is_vsq = (mode == OM_INT4V) || (mode == OM_INT8V);

    // ---------------------------------------------------------------- g/bias tables
    wire [LANES*32-1:0] tq;                                   // {g, bias} per lane of the beat in stage A
    wire t_fire;
    vsq_ppu_table #(.LANES(LANES), .PPU_ROWS(PPU_ROWS), .BANKS(BANKS)) u_tbl (
        .clk(clk), .we(tbl_we), .row(tbl_row), .g(tbl_g), .bias(tbl_bias), .wsel(tbl_wsel), .rsel(t_sel),
        .rd(t_fire), .rd_mt(t_mt), .q(tq)
    );
    genvar gl;

    // ---------------------------------------------------------------- stage A
    reg                a_v;
    reg [LANES*24-1:0] a_acc;
    reg [15:0]         a_mt, a_n;
    reg                a_last;
    wire               a_adv;
    assign t_ready = busy && (!a_v || a_adv);
    assign t_fire  = t_valid && t_ready;

    wire [LANES*18-1:0] y_comb;
    generate
        for (gl = 0; gl < LANES; gl = gl + 1) begin : g_y
            vsq_ppu_y u_y (
                .acc(a_acc[24*gl +: 24]), .g(tq[32*gl+16 +: 16]), .bias(tq[32*gl +: 16]),
                .sh(sh), .relu(relu), .y(y_comb[18*gl +: 18])
            );
        end
    endgenerate

    // ---------------------------------------------------------------- stage Y
    reg                y_v;
    reg [LANES*18-1:0] y_y;
    reg [LANES*24-1:0] y_acc;
    reg [15:0]         y_mt, y_n;
    reg                y_last;
    reg [WAW-1:0]      y_w;                                   // acc mode: sub-word
    wire               y_adv;
    assign a_adv = a_v && (!y_v || y_adv);

    wire [15:0] y_col16 = y_n % ACC16;
    wire [AW-1:0] y_col = y_col16[AW-1:0];

    // Group position of the beat (int8 groups: P8 lane-vectors, int4: P4).
    wire [15:0] slice = is8 ? (y_mt % P8_16) : (y_mt % P4_16);
    wire [15:0] grp   = is8 ? (y_mt / P8_16) : (y_mt / P4_16);
    wire [15:0] pm1   = is8 ? (P8_16 - 16'd1) : (P4_16 - 16'd1);
    wire grp_end = (slice == pm1) || (y_mt == mt_last);       // last lane-vector of the group (or of M)

    // Output FIFO (acc and quantized words).
    wire [CNT_W-1:0] fifo_count;
    wire fifo_room = (fifo_count < FIFO_CAP);

    // Stage Q handshake.
    reg  q_v;
    wire q_push = q_v && fifo_room;
    wire q_ready = !q_v || q_push;

    wire sm_s_ready;
    wire acc_push = y_v && is_acc && fifo_room;
    assign y_adv = y_v && (is_acc ? (acc_push && y_w == WLAST)
                         : is_sm ? sm_s_ready
                         : (!grp_end || q_ready));
    wire grp_fire = y_v && !is_acc && !is_sm && grp_end && q_ready;   // a job goes to Q
    wire buf_fire = y_adv && !is_acc && !is_sm;                        // beat goes to the buffer

    // ---------------------------------------------------------------- group buffer
    reg [17:0] ybuf [0:ACC_DEPTH*VEC-1];
    reg [17:0] mxr  [0:ACC_DEPTH-1];

    reg [17:0] beat_max;
    integer il;
    always @* begin : absmax
        reg [17:0] ay;
        beat_max = 18'd0;
        for (il = 0; il < LANES; il = il + 1) begin
            ay = y_y[18*il+17] ? (18'd0 - y_y[18*il +: 18]) : y_y[18*il +: 18];
            if (ay > beat_max)
                beat_max = ay;
        end
    end
    wire [17:0] mx_prev = (slice == 16'd0) ? 18'd0 : mxr[y_col];
    wire [17:0] mx_new  = (beat_max > mx_prev) ? beat_max : mx_prev;

    // s = clamp(ceil(mx / Qmax), 1, 255)
    wire [17:0] s_lim  = is8 ? 18'd32385 : 18'd1785;          // 255 * Qmax
    wire [17:0] s_div  = is8 ? ((mx_new + 18'd126) / 18'd127) : ((mx_new + 18'd6) / 18'd7);
    wire [7:0]  s_new  = (mx_new > s_lim) ? 8'd255
                       : (mx_new == 18'd0) ? 8'd1 : s_div[7:0];

    wire [31:0] buf_base32 = {{(32-AW){1'b0}}, y_col} * VEC + {16'd0, slice} * LANES;

    always @(posedge clk) begin
        if (buf_fire) begin
            mxr[y_col] <= mx_new;
            for (il = 0; il < LANES; il = il + 1)
                ybuf[buf_base32 + il] <= y_y[18*il +: 18];
        end
    end

    // The column's Vo values: stored lane-vectors before this one, this beat,
    // zeros after it (only a padded last group of int8/int4 has any).
    wire [VEC*18-1:0] job_y;
    wire [31:0] col_base32 = {{(32-AW){1'b0}}, y_col} * VEC;
    generate
        for (gl = 0; gl < VEC; gl = gl + 1) begin : g_job
            localparam integer SL_I = gl / LANES;
            localparam [15:0] SL = SL_I[15:0];
            localparam LN = gl % LANES;
            assign job_y[18*gl +: 18] = (SL < slice) ? ybuf[col_base32 + gl]
                                      : (SL == slice) ? y_y[18*LN +: 18]
                                      : 18'd0;
        end
    endgenerate

    // ---------------------------------------------------------------- stage Q
    reg [VEC*18-1:0] q_y;
    reg [7:0]        q_s;
    reg [15:0]       q_n, q_grp, q_row;
    reg              q_last;

    wire [DW-1:0] q_word;
    vsq_ppu_qword #(.VEC(VEC)) u_qword (.y(q_y), .s(q_s), .vsq(is_vsq), .is8(is8), .word(q_word));

    // ---------------------------------------------------------------- acc words
    reg [VEC*4-1:0] acc_data;
    integer is, ll;
    always @* begin
        acc_data = {VEC*4{1'b0}};
        for (is = 0; is < SLOTS; is = is + 1)
            for (ll = 0; ll < LANES; ll = ll + 1)
                if (ll == y_w * SLOTS + is)
                    acc_data[32*is +: 32] = {{8{y_acc[24*ll+23]}}, y_acc[24*ll +: 24]};
    end
    wire [15:0] y_w16    = {{(16-WAW){1'b0}}, y_w};
    wire [31:0] acc_row  = {16'd0, y_mt} * LANES16 + {16'd0, y_w16} * SLOTS16;
    wire [31:0] acc_grp  = {16'd0, y_mt} * WACC16 + {16'd0, y_w16};
    wire [DW-1:0] acc_word = {8'd0, acc_data};

    // ---------------------------------------------------------------- sequential control
    always @(posedge clk) begin
        if (!rst_n || clear) begin
            busy     <= 1'b0;
            err      <= 1'b0;
            err_code <= `VSQ_ERR_NONE;
            done     <= 1'b0;
            mode     <= OM_ACC;
            sh       <= 5'd0;
            relu     <= 1'b0;
            mt_last  <= 16'd0;
            a_v      <= 1'b0;
            y_v      <= 1'b0;
            y_w      <= {WAW{1'b0}};
            q_v      <= 1'b0;
        end else begin
            done <= 1'b0;
            err  <= 1'b0;
            if (start && !busy) begin
                err      <= (cfg_err != `VSQ_ERR_NONE);
                err_code <= cfg_err;
                if (cfg_err == `VSQ_ERR_NONE) begin
                    busy    <= 1'b1;
                    mode    <= cfg_out_mode;
                    sh      <= cfg_sh;
                    relu    <= cfg_relu;
                    mt_last <= cfg_m / LANES16 - 16'd1;
                    t_sel   <= cfg_t_sel;
                end
            end
            if (o_valid && o_ready && o_last) begin
                busy <= 1'b0;
                done <= 1'b1;
            end

            if (t_fire) begin
                a_v    <= 1'b1;
                a_acc  <= t_acc;
                a_mt   <= t_mt;
                a_n    <= t_n;
                a_last <= t_last;
            end else if (a_adv) begin
                a_v <= 1'b0;
            end

            if (a_adv) begin
                y_v    <= 1'b1;
                y_y    <= y_comb;
                y_acc  <= a_acc;
                y_mt   <= a_mt;
                y_n    <= a_n;
                y_last <= a_last;
                y_w    <= {WAW{1'b0}};
            end else begin
                if (y_adv)
                    y_v <= 1'b0;
                if (acc_push)
                    y_w <= y_w + 1'b1;
            end

            if (grp_fire) begin
                q_v    <= 1'b1;
                q_y    <= job_y;
                q_s    <= s_new;
                q_n    <= y_n;
                q_grp  <= grp;
                q_row  <= grp * (is8 ? WV16 : VEC16);
                q_last <= y_last;
            end else if (q_push) begin
                q_v <= 1'b0;
            end
        end
    end

    // ---------------------------------------------------------------- output FIFO
    wire [FW-1:0] fifo_in = is_acc
        ? {y_last && (y_w == WLAST), acc_row[15:0], acc_grp[15:0], y_n, acc_word}
        : {q_last, q_row, q_grp, q_n, q_word};
    wire [FW-1:0] fifo_out;
    wire          f_valid;
    vsq_fifo #(.WIDTH(FW), .DEPTH(OUT_FIFO)) u_ofifo (
        .clk(clk), .rst_n(rst_n), .clear(clear),
        .in_valid(acc_push || q_push), .in_data(fifo_in),
        .out_valid(f_valid), .out_ready(o_ready && !is_sm), .out_data(fifo_out),
        .count(fifo_count)
    );

    // ---------------------------------------------------------------- softmax unit
    reg [LANES*8-1:0] x_beat;
    integer ix;
    always @* begin
        for (ix = 0; ix < LANES; ix = ix + 1)
            x_beat[8*ix +: 8] = ($signed(y_y[18*ix +: 18]) > 18'sd127)  ? 8'd127
                              : ($signed(y_y[18*ix +: 18]) < -18'sd127) ? 8'h81
                              : y_y[18*ix +: 8];
    end

    wire              sm_o_valid, sm_o_last;
    wire [DW-1:0]     sm_o_data;
    wire [15:0]       sm_o_n, sm_o_grp, sm_o_row;
    wire [3:0]        sm_cfg_err, sm_err_code;
    wire              sm_busy, sm_done, sm_err;
    vsq_softmax #(
        .LANES(LANES), .VEC(VEC), .ACC_DEPTH(ACC_DEPTH), .MAX_L(MAX_L), .OUT_FIFO(OUT_FIFO)
    ) u_sm (
        .clk(clk), .rst_n(rst_n), .clear(clear),
        .start(start && !busy && cfg_err == `VSQ_ERR_NONE && cfg_out_mode == OM_SM),
        .cfg_len(cfg_m), .cfg_err(sm_cfg_err), .busy(sm_busy), .err(sm_err), .err_code(sm_err_code), .done(sm_done),
        .s_valid(y_v && is_sm), .s_ready(sm_s_ready), .s_x(x_beat), .s_mt(y_mt), .s_n(y_n), .s_last(y_last),
        .o_valid(sm_o_valid), .o_ready(o_ready && is_sm), .o_data(sm_o_data),
        .o_n(sm_o_n), .o_grp(sm_o_grp), .o_row(sm_o_row), .o_last(sm_o_last)
    );
    wire unused_sm = &{1'b0, sm_cfg_err, sm_busy, sm_err, sm_err_code, sm_done};
    wire unused_hi = &{1'b0, y_col16[15:AW], s_div[17:8], acc_row[31:16], acc_grp[31:16]};

    assign o_valid = is_sm ? sm_o_valid : f_valid;
    assign o_data  = is_sm ? sm_o_data  : fifo_out[DW-1:0];
    assign o_n     = is_sm ? sm_o_n     : fifo_out[DW +: 16];
    assign o_grp   = is_sm ? sm_o_grp   : fifo_out[DW+16 +: 16];
    assign o_row   = is_sm ? sm_o_row   : fifo_out[DW+32 +: 16];
    assign o_last  = is_sm ? sm_o_last  : fifo_out[DW+48];
endmodule
