// vsq_top: the accelerator top (architecture.md "External interfaces of the
// top"; register map, stream formats and error handling: docs/rtl-top.md,
// rdl/vsq_top.rdl).
//
//   s_axil_*  AXI4-Lite slave, 32-bit data, 12-bit byte address: registers
//             (vsq_top_regs, with the start check vsq_top_check)
//   s_axis_*  AXI4-Stream slave, one operand word per beat (VEC*4+8 bits);
//             TDEST 0 = A, 1 = B, 2 = PPU g/bias table; TLAST ends a load
//             (vsq_top_load), into the bank LOAD_BANK names
//
// Overlap (docs/overlap-design.md): A, B and the g/bias table each have
// BANKS copies; a load fills a bank no GEMM reads while the current GEMM
// reads another (a load into a bank in use waits, TREADY low), and GEMMs
// queued through Q_CTRL.PUSH (vsq_top_queue, QUEUE entries) start as soon as
// the previous one has sent its last result word.
//   m_axis_*  AXI4-Stream master, one result word per beat (VEC*4+8 bits),
//             TUSER = {first row, column}, TLAST on the last word of a GEMM
//   irq       level interrupt: IRQ_STATUS & IRQ_ENABLE (done, error)
//
// The engine (vsq_engine, cfg_n_outer = 1) feeds the PPU (vsq_ppu, with the
// softmax unit) directly; the PPU's output FIFO drives the result stream, so
// back-pressure on m_axis stalls the PPU and then the engine, and nothing is
// buffered beyond the PPU's FIFO: the OUT_DEPTH parameter is read back in a
// register but sizes nothing (OUT_CAP, code 14, is never raised).
// The payload outputs of m_axis are forced to 0 while TVALID is low.
//
// vsq_lane (the standalone lane, verified and costed on its own) is the
// other top when every file of rtl/ is linted together; that is by design.
/* verilator lint_off MULTITOP */
`include "vsq_defs.vh"
module vsq_top #(
    parameter LANES     = 16,
    parameter VEC       = 64,
    parameter ACC_DEPTH = 16,
    parameter A_DEPTH   = 128,
    parameter B_DEPTH   = 2048,
    parameter OUT_DEPTH = 512,
    parameter BANKS     = `VSQ_BANKS,        // copies of A, B and the g/bias table (1 or 2)
    parameter QUEUE     = `VSQ_QUEUE_DEPTH   // entries of the descriptor queue
) (
    input  wire              aclk,
    input  wire              aresetn,        // synchronous, active low

    input  wire [11:0]       s_axil_awaddr,
    input  wire              s_axil_awvalid,
    output wire              s_axil_awready,
    input  wire [31:0]       s_axil_wdata,
    input  wire [3:0]        s_axil_wstrb,
    input  wire              s_axil_wvalid,
    output wire              s_axil_wready,
    output wire [1:0]        s_axil_bresp,
    output wire              s_axil_bvalid,
    input  wire              s_axil_bready,
    input  wire [11:0]       s_axil_araddr,
    input  wire              s_axil_arvalid,
    output wire              s_axil_arready,
    output wire [31:0]       s_axil_rdata,
    output wire [1:0]        s_axil_rresp,
    output wire              s_axil_rvalid,
    input  wire              s_axil_rready,

    input  wire [VEC*4+7:0]  s_axis_tdata,
    input  wire              s_axis_tvalid,
    output wire              s_axis_tready,
    input  wire              s_axis_tlast,
    input  wire [1:0]        s_axis_tdest,

    output wire [VEC*4+7:0]  m_axis_tdata,
    output wire              m_axis_tvalid,
    input  wire              m_axis_tready,
    output wire              m_axis_tlast,
    output wire [31:0]       m_axis_tuser,

    output wire              irq
);
    localparam W        = VEC * 4 + 8;
    localparam PPU_ROWS = LANES * A_DEPTH;   // g/bias table rows: the largest M the A buffer holds
    localparam MAX_L    = `VSQ_MAX_L;        // longest softmax column (numerics.md §6)
    localparam OUT_FIFO = 4;                 // the PPU's output FIFO

    // ---------------------------------------------------------------- registers and control
    wire [15:0] cfg_m, cfg_n, cfg_k;
    wire [1:0]  cfg_mode;
    wire [2:0]  cfg_out_mode;
    wire [4:0]  cfg_sh;
    wire        cfg_relu;
    wire [2:0]  cfg_bank, load_bank;
    wire [5:0]  in_use;
    wire        go, clear, busy;
    wire        load_idle, load_ovf;
    wire [31:0] load_cnt_a, load_cnt_b, load_cnt_t;
    wire        eng_err, ppu_err;
    wire [3:0]  eng_err_code, ppu_err_code;
    wire [31:0] eng_cyc_mac, eng_cyc_total;
    wire        o_valid, o_last;            // the PPU's result word
    wire        o_ready;                    // ... is taken (by m_axis, not behind a held word)
    wire        res_last = o_valid && o_ready && o_last;

    vsq_top_regs #(
        .LANES(LANES), .VEC(VEC), .ACC_DEPTH(ACC_DEPTH), .A_DEPTH(A_DEPTH), .B_DEPTH(B_DEPTH),
        .OUT_DEPTH(OUT_DEPTH), .PPU_ROWS(PPU_ROWS), .MAX_L(MAX_L), .BANKS(BANKS), .QUEUE(QUEUE)
    ) u_regs (
        .clk(aclk), .rst_n(aresetn),
        .awaddr(s_axil_awaddr), .awvalid(s_axil_awvalid), .awready(s_axil_awready),
        .wdata(s_axil_wdata), .wstrb(s_axil_wstrb), .wvalid(s_axil_wvalid), .wready(s_axil_wready),
        .bresp(s_axil_bresp), .bvalid(s_axil_bvalid), .bready(s_axil_bready),
        .araddr(s_axil_araddr), .arvalid(s_axil_arvalid), .arready(s_axil_arready),
        .rdata(s_axil_rdata), .rresp(s_axil_rresp), .rvalid(s_axil_rvalid), .rready(s_axil_rready),
        .cfg_m(cfg_m), .cfg_n(cfg_n), .cfg_k(cfg_k), .cfg_mode(cfg_mode), .cfg_out_mode(cfg_out_mode),
        .cfg_sh(cfg_sh), .cfg_relu(cfg_relu), .cfg_bank(cfg_bank), .load_bank(load_bank), .in_use(in_use),
        .go(go), .clear(clear), .busy(busy),
        .load_idle(load_idle), .load_ovf(load_ovf),
        .load_cnt_a(load_cnt_a), .load_cnt_b(load_cnt_b), .load_cnt_t(load_cnt_t),
        .eng_err(eng_err), .eng_err_code(eng_err_code), .ppu_err(ppu_err), .ppu_err_code(ppu_err_code),
        .eng_cyc_mac(eng_cyc_mac), .res_last(res_last), .irq(irq)
    );

    // ---------------------------------------------------------------- load stream
    wire                       a_we, b_we, tbl_we;
    wire                       a_wsel, b_wsel, tbl_wsel;
    wire [$clog2(LANES)-1:0]   a_bank;
    wire [$clog2(A_DEPTH)-1:0] a_addr;
    wire [$clog2(B_DEPTH)-1:0] b_addr;
    wire [W-1:0]               a_wdata, b_wdata;
    wire [15:0]                tbl_row, tbl_g, tbl_bias;

    vsq_top_load #(
        .LANES(LANES), .VEC(VEC), .A_DEPTH(A_DEPTH), .B_DEPTH(B_DEPTH), .PPU_ROWS(PPU_ROWS)
    ) u_load (
        .clk(aclk), .rst_n(aresetn), .clear(clear), .busy(busy), .bank(load_bank), .in_use(in_use),
        .s_tdata(s_axis_tdata), .s_tvalid(s_axis_tvalid), .s_tready(s_axis_tready),
        .s_tlast(s_axis_tlast), .s_tdest(s_axis_tdest),
        .a_we(a_we), .a_bank(a_bank), .a_addr(a_addr), .a_wdata(a_wdata), .a_wsel(a_wsel),
        .b_we(b_we), .b_addr(b_addr), .b_wdata(b_wdata), .b_wsel(b_wsel),
        .tbl_we(tbl_we), .tbl_row(tbl_row), .tbl_g(tbl_g), .tbl_bias(tbl_bias), .tbl_wsel(tbl_wsel),
        .idle(load_idle), .ovf(load_ovf), .cnt_a(load_cnt_a), .cnt_b(load_cnt_b), .cnt_t(load_cnt_t)
    );

    // ---------------------------------------------------------------- engine
    wire                 t_valid, t_ready, t_last;
    wire [LANES*24-1:0]  t_acc;
    wire [15:0]          t_mt, t_n;
    wire                 eng_busy, eng_done;
    wire [1:0]           eng_sat;

    vsq_engine #(
        .LANES(LANES), .VEC(VEC), .ACC_DEPTH(ACC_DEPTH), .A_DEPTH(A_DEPTH), .B_DEPTH(B_DEPTH), .BANKS(BANKS)
    ) u_engine (
        .clk(aclk), .rst_n(aresetn), .clear(clear),
        .a_we(a_we), .a_bank(a_bank), .a_addr(a_addr), .a_wdata(a_wdata),
        .b_we(b_we), .b_addr(b_addr), .b_wdata(b_wdata), .a_wsel(a_wsel), .b_wsel(b_wsel),
        .start(go), .cfg_m(cfg_m), .cfg_n(cfg_n), .cfg_k(cfg_k), .cfg_mode(cfg_mode), .cfg_n_outer(1'b1),
        .cfg_a_sel(cfg_bank[0]), .cfg_b_sel(cfg_bank[1]),
        .busy(eng_busy), .done(eng_done), .err(eng_err), .err_code(eng_err_code),
        .t_valid(t_valid), .t_ready(t_ready), .t_acc(t_acc), .t_mt(t_mt), .t_n(t_n), .t_last(t_last),
        .cyc_total(eng_cyc_total), .cyc_mac(eng_cyc_mac), .sat_seen(eng_sat)
    );

    // ---------------------------------------------------------------- PPU (with the softmax unit)
    wire [3:0]   ppu_cfg_err;
    wire         ppu_busy, ppu_done;
    wire [W-1:0] o_data;
    wire [15:0]  o_n, o_grp, o_row;

    vsq_ppu #(
        .LANES(LANES), .VEC(VEC), .ACC_DEPTH(ACC_DEPTH), .A_DEPTH(A_DEPTH),
        .PPU_ROWS(PPU_ROWS), .MAX_L(MAX_L), .OUT_FIFO(OUT_FIFO), .BANKS(BANKS)
    ) u_ppu (
        .clk(aclk), .rst_n(aresetn), .clear(clear),
        .start(go), .cfg_out_mode(cfg_out_mode), .cfg_sh(cfg_sh), .cfg_relu(cfg_relu), .cfg_m(cfg_m),
        .cfg_err(ppu_cfg_err), .busy(ppu_busy), .err(ppu_err), .err_code(ppu_err_code), .done(ppu_done),
        .tbl_we(tbl_we), .tbl_row(tbl_row), .tbl_g(tbl_g), .tbl_bias(tbl_bias),
        .tbl_wsel(tbl_wsel), .cfg_t_sel(cfg_bank[2]),
        .t_valid(t_valid), .t_ready(t_ready), .t_acc(t_acc), .t_mt(t_mt), .t_n(t_n), .t_last(t_last),
        .o_valid(o_valid), .o_ready(o_ready), .o_data(o_data),
        .o_n(o_n), .o_grp(o_grp), .o_row(o_row), .o_last(o_last)
    );

    // ---------------------------------------------------------------- result stream
    // AXI4-Stream: once TVALID is high it stays high, with the payload stable,
    // until TREADY. A soft reset (or abort) flushes the PPU, so a word it is
    // offering without TREADY is kept in `hold_*` and offered until accepted;
    // the PPU's next word (of a later GEMM) waits behind it. Only aresetn
    // drops TVALID without a handshake (allowed by the specification).
    reg          hold_v;
    reg [W-1:0]  hold_data;
    reg [31:0]   hold_user;
    reg          hold_last;
    wire         o_stall = o_valid && !m_axis_tready;
    always @(posedge aclk) begin
        if (!aresetn) begin
            hold_v <= 1'b0;
        end else if (hold_v) begin
            if (m_axis_tready)
                hold_v <= 1'b0;
        end else if (clear && o_stall) begin
            hold_v    <= 1'b1;
            hold_data <= o_data;
            hold_user <= {o_row, o_n};
            hold_last <= o_last;
        end
    end
    assign o_ready       = m_axis_tready && !hold_v;
    assign m_axis_tvalid = hold_v || o_valid;
    assign m_axis_tdata  = hold_v ? hold_data : (o_data & {W{o_valid}});
    assign m_axis_tuser  = hold_v ? hold_user : ({o_row, o_n} & {32{o_valid}});
    assign m_axis_tlast  = hold_v ? hold_last : (o_last && o_valid);

    wire unused = &{1'b0, eng_busy, eng_done, eng_sat, eng_cyc_total, ppu_cfg_err, ppu_busy, ppu_done, o_grp};

`ifdef VSQ_ASSERT
    // System invariants (formal/README.md), sampled at the clock edge.
    reg a_live;
    initial a_live = 1'b0;
    reg a_rst, a_clr, a_eng_idle, a_ppu_idle;
    always @(posedge aclk) begin
        if (!aresetn) a_live <= 1'b1;
        a_rst      <= !aresetn;
        a_clr      <= !aresetn || clear;
        a_eng_idle <= !eng_busy && !go;      // so the engine must still be idle now
        a_ppu_idle <= !ppu_busy && !go;
        if (a_live && aresetn) begin
            // nothing runs that the top did not start, and the engine ends before the PPU
            assert(!(a_eng_idle && eng_busy));
            assert(!(a_ppu_idle && ppu_busy));
            assert(!eng_busy || ppu_busy);
            assert(!ppu_busy || busy);
            // nothing is written into a bank the current or a queued GEMM reads
            assert(!(a_we && in_use[{2'b00, a_wsel}]));
            assert(!(b_we && in_use[{2'b01, b_wsel}]));
            // a table row lands in the running GEMM's bank only before it started (the start
            // waits for the serializer; a table word for a bank in use is held off)
            assert(!(tbl_we && ppu_busy && cfg_bank[2] == tbl_wsel));
            assert(!(tbl_we && go));
            // aresetn and soft reset leave every block idle
            if (a_clr)
                assert(!busy && !eng_busy && !ppu_busy && !o_valid);
            if (a_rst)
                assert(!m_axis_tvalid && !irq && !hold_v);
            // a held word (soft reset at a stalled result) is offered alone
            assert(!hold_v || !o_ready);
        end
    end
`ifdef FORMAL
    always @(posedge aclk) if (aresetn && a_live) begin
        cover(clear && o_stall);           // soft reset at a stalled result
        cover(busy && (a_we || b_we));     // overlap: an operand word written while a GEMM is pending or runs
    end
`endif
`endif
endmodule
