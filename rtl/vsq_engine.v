// vsq_engine: the GEMM processing element of the seed chip (JSSC'23 Fig. 6).
//
// LANES vector-MAC lanes in lockstep (vsq_engine_lane: A register, vsq_dot,
// collector column with vsq_sat_add), an A buffer of LANES banks x A_DEPTH
// words, a B buffer of B_DEPTH words, a double-buffered (ping-pong)
// accumulation collector of 2 x ACC_DEPTH entries x LANES x 24 bits, and a
// sequencer that walks the loop nest of architecture.md
//     for m-tile, for n-tile (swapped when n_outer = 1), for k < K/V, for a < ACC_DEPTH
// issuing one step per cycle, and a drain that hands every finished tile to
// the tile-output stream of docs/interfaces.md, one column per beat.
// Microarchitecture, timing and legal parameter ranges: docs/rtl-engine.md.
//
// Pipeline of one step:
//   S0 issue : A banks read (only for a == 0: A prefetch), B buffer read
//   S1       : A register <= A bank data (a == 0), B register <= B data
//   S2       : d = vsq_dot(A register, B register) -> d register
//   S3       : collector[bank][a] <= sat24((k == 0 ? 0 : collector) + d)
// The only stall is at S0: the first k step of entry a of a tile waits until
// the drain has read entry a of the tile two tiles back (same bank).
`include "vsq_defs.vh"
module vsq_engine #(
    parameter LANES     = 16,   // power of two, >= 2
    parameter VEC       = 64,   // power of two, 4..256
    parameter ACC_DEPTH = 16,   // power of two, >= 2
    parameter A_DEPTH   = 128,  // 2..65536
    parameter B_DEPTH   = 2048, // 2..65536
    parameter BANKS     = 1     // 1 or 2 copies of A and B (bank b at word offset b*A_DEPTH / b*B_DEPTH)
) (
    input  wire                            clk,
    input  wire                            rst_n,      // synchronous, active low
    input  wire                            clear,      // synchronous abort to idle
    // A buffer write port: row m, vector k -> bank m % LANES, addr (m/LANES)*(K/V)+k
    input  wire                            a_we,
    input  wire [$clog2(LANES)-1:0]        a_bank,
    input  wire [$clog2(A_DEPTH)-1:0]      a_addr,
    input  wire [VEC*4+7:0]                a_wdata,
    // B buffer write port: column n, vector k -> addr n*(K/V)+k
    input  wire                            b_we,
    input  wire [$clog2(B_DEPTH)-1:0]      b_addr,
    input  wire [VEC*4+7:0]                b_wdata,
    input  wire                            a_wsel,     // bank written (ignored when BANKS = 1)
    input  wire                            b_wsel,
    // start / status
    input  wire                            start,      // 1-cycle pulse
    input  wire [15:0]                     cfg_m,
    input  wire [15:0]                     cfg_n,
    input  wire [15:0]                     cfg_k,
    input  wire [1:0]                      cfg_mode,
    input  wire                            cfg_n_outer,
    input  wire                            cfg_a_sel,  // bank the GEMM reads (latched at start)
    input  wire                            cfg_b_sel,
    output reg                             busy,
    output reg                             done,       // 1-cycle pulse after the last beat
    output reg                             err,        // 1-cycle pulse on a refused start
    output reg  [3:0]                      err_code,   // holds until the next accepted/refused start
    // tile-output stream (docs/interfaces.md)
    output reg                             t_valid,
    input  wire                            t_ready,
    output reg  [LANES*24-1:0]             t_acc,
    output reg  [15:0]                     t_mt,
    output reg  [15:0]                     t_n,
    output reg                             t_last,
    // counters of the last/current GEMM
    output reg  [31:0]                     cyc_total,  // cycles with busy high
    output reg  [31:0]                     cyc_mac,    // cycles in which the lanes accumulated a step
    output reg  [1:0]                      sat_seen    // [0]: a step clipped at +2^23-1, [1]: at -2^23
);
    localparam W      = VEC * 4 + 8;
    localparam LOG_L  = $clog2(LANES);
    localparam LOG_AD = $clog2(ACC_DEPTH);
    localparam LOG_V  = $clog2(VEC);
    localparam AAW    = $clog2(A_DEPTH);
    localparam BAW    = $clog2(B_DEPTH);
    localparam PAW    = $clog2(A_DEPTH * BANKS);  // physical addresses of the banked buffers
    localparam PBW    = $clog2(B_DEPTH * BANKS);
    localparam [31:0] A_OFF = (BANKS > 1) ? A_DEPTH : 0;
    localparam [31:0] B_OFF = (BANKS > 1) ? B_DEPTH : 0;
    localparam IW     = LOG_AD + 1;               // collector index {bank, entry}
    localparam NE     = 2 * ACC_DEPTH;
    localparam LOG_V_M1 = LOG_V - 1;
    localparam AD_M1  = ACC_DEPTH - 1;
    wire [LOG_AD-1:0] ad_last = AD_M1[LOG_AD-1:0];

    // ------------------------------------------------------------------
    // Start check (combinational on the cfg inputs; lowest code wins):
    // vsq_engine_check, shared with the top's check.
    // ------------------------------------------------------------------
    wire [3:0] chk_code;
    vsq_engine_check #(
        .LANES(LANES), .VEC(VEC), .ACC_DEPTH(ACC_DEPTH), .A_DEPTH(A_DEPTH), .B_DEPTH(B_DEPTH)
    ) u_check (
        .m(cfg_m), .n(cfg_n), .k(cfg_k), .mode(cfg_mode), .code(chk_code)
    );
    // V = VEC/2 in int8, VEC otherwise (of a legal start: the check refused the unknown mode).
    wire [4:0]  log_v   = (cfg_mode == `VSQ_MODE_INT8) ? LOG_V_M1[4:0] : LOG_V[4:0];
    wire [15:0] kv_w    = cfg_k >> log_v;
    wire [15:0] mt_w    = cfg_m >> LOG_L;
    wire [15:0] nt_w    = cfg_n >> LOG_AD;
    wire start_acc = start && !busy && !clear;
    wire start_ok  = start_acc && (chk_code == `VSQ_ERR_NONE);

    // ------------------------------------------------------------------
    // GEMM configuration, latched at an accepted start
    // ------------------------------------------------------------------
    reg [1:0]  mode_r;
    reg        a_sel_r, b_sel_r;   // banks read by the running GEMM
    reg        n_outer_r;
    reg [15:0] kv_r;        // K/V
    reg [15:0] kv_m1;       // K/V - 1
    reg [15:0] mt_m1;       // M/LANES - 1
    reg [15:0] nt_m1;       // N/ACC_DEPTH - 1
    reg [31:0] kvad_r;      // (K/V) * ACC_DEPTH: B words per n-tile

    // ------------------------------------------------------------------
    // Collector entry flags, index {bank, entry}
    //   ebusy : a tile owns the entry (set by the issue of its k = 0 step,
    //           cleared when the drain reads the entry)
    //   efinal: the entry holds a finished accumulator (set when S3 writes the
    //           k = K/V-1 step, cleared when the drain reads it)
    // ------------------------------------------------------------------
    reg [NE-1:0] ebusy;
    reg [NE-1:0] efinal;

    // ------------------------------------------------------------------
    // S0: issue sequencer
    // ------------------------------------------------------------------
    reg              iss_done;   // every step of the GEMM has been issued
    reg [15:0]       k_i;
    reg [LOG_AD-1:0] a_i;
    reg [15:0]       mt_i, nt_i;
    reg              bank_i;
    reg [31:0]       a_base;     // m-tile * K/V
    reg [31:0]       b_tile;     // n-tile * ACC_DEPTH * K/V
    reg [31:0]       b_col;      // a * K/V

    wire [IW-1:0] idx_i   = {bank_i, a_i};
    wire          k_first = (k_i == 16'd0);
    wire          k_last  = (k_i == kv_m1);
    wire          a_last  = (a_i == ad_last);
    wire          mt_last = (mt_i == mt_m1);
    wire          nt_last = (nt_i == nt_m1);
    wire          issue   = busy && !iss_done && (!k_first || !ebusy[idx_i]);

    wire [31:0] a_raddr_w = a_base + {16'd0, k_i};
    wire [31:0] b_raddr_w = b_tile + b_col + {16'd0, k_i};
    wire        unused_addr_hi = &{1'b0, a_raddr_w[31:AAW], b_raddr_w[31:BAW]};

    // pipeline tags
    reg          s1_valid, s1_aload, s1_first, s1_final;
    reg [IW-1:0] s1_idx;
    reg          s2_valid, s2_first, s2_final;
    reg [IW-1:0] s2_idx;
    reg          s3_valid, s3_first, s3_final;
    reg [IW-1:0] s3_idx;

    // ------------------------------------------------------------------
    // Drain
    // ------------------------------------------------------------------
    reg              bank_d;
    reg [LOG_AD-1:0] a_d;
    reg [15:0]       mt_d, nt_d;
    wire [IW-1:0]    idx_d    = {bank_d, a_d};
    wire             drain    = busy && efinal[idx_d] && (!t_valid || t_ready);
    wire             d_a_last = (a_d == ad_last);
    wire             d_mt_last = (mt_d == mt_m1);
    wire             d_nt_last = (nt_d == nt_m1);

    // ------------------------------------------------------------------
    // Buffers
    // ------------------------------------------------------------------
    wire [W-1:0]         b_rdata;
    wire [LANES*W-1:0]   a_rdata;
    wire [LANES*24-1:0]  rd_acc;
    wire [LANES-1:0]     lane_sat_pos, lane_sat_neg;
    reg  [W-1:0]         b_reg;     // the broadcast B register

    // Bank b of a buffer is the physical range [b*DEPTH, (b+1)*DEPTH).
    wire [31:0] a_wphys = {{(32-AAW){1'b0}}, a_addr} + (a_wsel ? A_OFF : 32'd0);
    wire [31:0] a_rphys = {{(32-AAW){1'b0}}, a_raddr_w[AAW-1:0]} + (a_sel_r ? A_OFF : 32'd0);
    wire [31:0] b_wphys = {{(32-BAW){1'b0}}, b_addr} + (b_wsel ? B_OFF : 32'd0);
    wire [31:0] b_rphys = {{(32-BAW){1'b0}}, b_raddr_w[BAW-1:0]} + (b_sel_r ? B_OFF : 32'd0);
    wire unused_phys = &{1'b0, a_wphys[31:PAW], a_rphys[31:PAW], b_wphys[31:PBW], b_rphys[31:PBW]};

    vsq_ram #(.WIDTH(W), .DEPTH(B_DEPTH * BANKS), .AW(PBW)) u_bbuf (
        .clk(clk), .we(b_we), .waddr(b_wphys[PBW-1:0]), .wdata(b_wdata),
        .re(issue), .raddr(b_rphys[PBW-1:0]), .rdata(b_rdata)
    );

    genvar l;
    generate
        for (l = 0; l < LANES; l = l + 1) begin : g_lane
            vsq_ram #(.WIDTH(W), .DEPTH(A_DEPTH * BANKS), .AW(PAW)) u_abank (
                .clk(clk), .we(a_we && (a_bank == l)), .waddr(a_wphys[PAW-1:0]), .wdata(a_wdata),
                .re(issue && (a_i == {LOG_AD{1'b0}})), .raddr(a_rphys[PAW-1:0]),
                .rdata(a_rdata[l*W +: W])
            );
            vsq_engine_lane #(.VEC(VEC), .ACC_DEPTH(ACC_DEPTH), .IW(IW)) u_lane (
                .clk(clk), .mode(mode_r),
                .a_load(s1_valid && s1_aload), .a_word(a_rdata[l*W +: W]),
                .s2_valid(s2_valid), .b_word(b_reg),
                .s3_valid(s3_valid), .s3_first(s3_first), .s3_idx(s3_idx),
                .rd_idx(idx_d), .rd_acc(rd_acc[l*24 +: 24]),
                .sat_pos(lane_sat_pos[l]), .sat_neg(lane_sat_neg[l])
            );
        end
    endgenerate

    // ------------------------------------------------------------------
    // Sequential logic
    // ------------------------------------------------------------------
    always @(posedge clk) begin
        if (s1_valid)
            b_reg <= b_rdata;
    end

    always @(posedge clk) begin
        if (!rst_n || clear) begin
            busy     <= 1'b0;
            done     <= 1'b0;
            iss_done <= 1'b0;
            s1_valid <= 1'b0;
            s2_valid <= 1'b0;
            s3_valid <= 1'b0;
            t_valid  <= 1'b0;
            ebusy    <= {NE{1'b0}};
            efinal   <= {NE{1'b0}};
        end else begin
            done <= 1'b0;

            // ---------------- start ----------------
            if (start_ok) begin
                busy     <= 1'b1;
                iss_done <= 1'b0;
                ebusy    <= {NE{1'b0}};
                efinal   <= {NE{1'b0}};
            end

            // ---------------- S0 issue ----------------
            s1_valid <= issue;
            if (issue) begin
                s1_aload <= (a_i == {LOG_AD{1'b0}});
                s1_first <= k_first;
                s1_final <= k_last;
                s1_idx   <= idx_i;
                if (a_last && k_last && mt_last && nt_last)
                    iss_done <= 1'b1;
            end

            // ---------------- S1 -> S2 -> S3 ----------------
            s2_valid <= s1_valid;
            s2_first <= s1_first;
            s2_final <= s1_final;
            s2_idx   <= s1_idx;
            s3_valid <= s2_valid;
            s3_first <= s2_first;
            s3_final <= s2_final;
            s3_idx   <= s2_idx;

            // ---------------- entry flags ----------------
            // Set and clear never hit the same entry in one cycle: the issue
            // needs !ebusy, the drain needs efinal (which implies ebusy), and
            // S3 sets efinal only on an entry the drain has not read yet.
            if (!start_ok) begin
                if (issue && k_first)
                    ebusy[idx_i] <= 1'b1;
                if (drain) begin
                    ebusy[idx_d]  <= 1'b0;
                    efinal[idx_d] <= 1'b0;
                end
                if (s3_valid && s3_final)
                    efinal[s3_idx] <= 1'b1;
            end

            // ---------------- drain / output register ----------------
            if (drain) begin
                t_valid <= 1'b1;
                t_last  <= d_a_last && d_mt_last && d_nt_last;
            end else if (t_ready) begin
                t_valid <= 1'b0;
            end
            if (t_valid && t_ready && t_last) begin
                busy <= 1'b0;
                done <= 1'b1;
            end
        end
    end

    // Sequencer counters and address bases (no reset needed: set at start).
    always @(posedge clk) begin
        if (start_ok) begin
            a_sel_r <= cfg_a_sel;
            b_sel_r <= cfg_b_sel;
            k_i    <= 16'd0;
            a_i    <= {LOG_AD{1'b0}};
            mt_i   <= 16'd0;
            nt_i   <= 16'd0;
            bank_i <= 1'b0;
            a_base <= 32'd0;
            b_tile <= 32'd0;
            b_col  <= 32'd0;
        end else if (issue) begin
            if (!a_last) begin
                a_i   <= a_i + 1'b1;
                b_col <= b_col + {16'd0, kv_r};
            end else begin
                a_i   <= {LOG_AD{1'b0}};
                b_col <= 32'd0;
                if (!k_last) begin
                    k_i <= k_i + 16'd1;
                end else begin
                    // tile finished: next tile in the selected order
                    k_i    <= 16'd0;
                    bank_i <= ~bank_i;
                    if (!n_outer_r) begin
                        if (!nt_last) begin
                            nt_i   <= nt_i + 16'd1;
                            b_tile <= b_tile + kvad_r;
                        end else begin
                            nt_i   <= 16'd0;
                            b_tile <= 32'd0;
                            mt_i   <= mt_i + 16'd1;
                            a_base <= a_base + {16'd0, kv_r};
                        end
                    end else begin
                        if (!mt_last) begin
                            mt_i   <= mt_i + 16'd1;
                            a_base <= a_base + {16'd0, kv_r};
                        end else begin
                            mt_i   <= 16'd0;
                            a_base <= 32'd0;
                            nt_i   <= nt_i + 16'd1;
                            b_tile <= b_tile + kvad_r;
                        end
                    end
                end
            end
        end
    end

    // Drain iterator and output data (no reset needed: set at start / qualified by t_valid).
    always @(posedge clk) begin
        if (start_ok) begin
            bank_d <= 1'b0;
            a_d    <= {LOG_AD{1'b0}};
            mt_d   <= 16'd0;
            nt_d   <= 16'd0;
        end else if (drain) begin
            t_acc <= rd_acc;
            t_mt  <= mt_d;
            t_n   <= {nt_d[15-LOG_AD:0], a_d};
            if (!d_a_last) begin
                a_d <= a_d + 1'b1;
            end else begin
                a_d    <= {LOG_AD{1'b0}};
                bank_d <= ~bank_d;
                if (!n_outer_r) begin
                    if (!d_nt_last) begin
                        nt_d <= nt_d + 16'd1;
                    end else begin
                        nt_d <= 16'd0;
                        mt_d <= mt_d + 16'd1;
                    end
                end else begin
                    if (!d_mt_last) begin
                        mt_d <= mt_d + 16'd1;
                    end else begin
                        mt_d <= 16'd0;
                        nt_d <= nt_d + 16'd1;
                    end
                end
            end
        end
    end

    // Configuration, status and counters.
    always @(posedge clk) begin
        if (!rst_n) begin
            err       <= 1'b0;
            err_code  <= `VSQ_ERR_NONE;
            cyc_total <= 32'd0;
            cyc_mac   <= 32'd0;
            sat_seen  <= 2'b00;
        end else begin
            err <= 1'b0;
            if (start_acc) begin
                err      <= (chk_code != `VSQ_ERR_NONE);
                err_code <= chk_code;
            end
            if (start_ok) begin
                mode_r    <= cfg_mode;
                n_outer_r <= cfg_n_outer;
                kv_r      <= kv_w;
                kv_m1     <= kv_w - 16'd1;
                mt_m1     <= mt_w - 16'd1;
                nt_m1     <= nt_w - 16'd1;
                kvad_r    <= {16'd0, kv_w} << LOG_AD;
                cyc_total <= 32'd0;
                cyc_mac   <= 32'd0;
                sat_seen  <= 2'b00;
            end else if (busy && !clear) begin
                if (cyc_total != 32'hFFFF_FFFF)
                    cyc_total <= cyc_total + 32'd1;     // saturates, never wraps
                if (s3_valid)
                    cyc_mac <= cyc_mac + 32'd1;
                sat_seen <= sat_seen | {|lane_sat_neg, |lane_sat_pos};
            end
        end
    end

`ifdef VSQ_ASSERT
    // Collector hand-over (formal/README.md): an entry is final only while a
    // tile owns it, S3 never finalizes an entry not yet drained, so the drain
    // hands each finished entry over exactly once; idle means an empty pipeline.
    reg a_live;
    initial a_live = 1'b0;
    always @(posedge clk) begin
        if (!rst_n) a_live <= 1'b1;
        if (a_live && rst_n && !clear) begin
            assert((efinal & ~ebusy) == {NE{1'b0}});
            assert(!(s3_valid && s3_final && !start_ok) || !efinal[s3_idx]);
            assert(!(issue && k_first) || !ebusy[idx_i]);
            assert(busy || !(t_valid || s1_valid || s2_valid || s3_valid || drain));
            assert(!(err && busy && start_ok));
            assert(cyc_mac <= cyc_total);                     // CYC_MAC bounded by the saturating total
        end
    end
`endif
endmodule
