// vsq_top_regs: AXI4-Lite slave (32-bit data, 12-bit byte address), the
// register file and the start/status controller of the accelerator top.
// Register map: rdl/vsq_top.rdl (the single source) and docs/rtl-top.md.
//
// AXI4-Lite: one write and one read in flight; AW and W are taken in any
// order, the write is performed when both are held and B is free. Byte
// address bits [1:0] are ignored. An unmapped address answers SLVERR (reads
// return 0); a write to a read-only register is ignored and answered SLVERR.
// WSTRB selects the bytes written (CTRL and IRQ_STATUS act on the selected
// bytes only).
//
// Control: CTRL.START while busy (a GEMM pending, running or queued) is
// ignored and raises BUSY (12). Otherwise the configuration registers are
// taken as the current descriptor (cfg_*, what the engine and the PPU latch),
// and the start is pending until the load path has written its last table
// row; then the descriptor is checked (vsq_top_check): an illegal one raises
// its code and nothing runs; a legal one pulses `go` (engine and PPU start in
// the same cycle). The GEMM is done when the result word with TLAST is
// accepted. Q_CTRL.PUSH takes the configuration registers into the
// descriptor queue (vsq_top_queue; full: refused, QUEUE_FULL); whenever no
// GEMM is pending or running, the queue's head becomes the current
// descriptor and is decided as a start is. CTRL.SOFT_RESET pulses `clear` in
// the cycle of the write (SOFT_RESET wins over START in the same write) and
// empties the queue.
`include "vsq_defs.vh"
module vsq_top_regs #(
    parameter LANES     = 16,
    parameter VEC       = 64,
    parameter ACC_DEPTH = 16,
    parameter A_DEPTH   = 128,
    parameter B_DEPTH   = 2048,
    parameter OUT_DEPTH = 512,
    parameter PPU_ROWS  = LANES * A_DEPTH,
    parameter MAX_L     = `VSQ_MAX_L,
    parameter BANKS     = `VSQ_BANKS,
    parameter QUEUE     = `VSQ_QUEUE_DEPTH
) (
    input  wire        clk,
    input  wire        rst_n,          // synchronous, active low

    // AXI4-Lite slave
    input  wire [11:0] awaddr,
    input  wire        awvalid,
    output wire        awready,
    input  wire [31:0] wdata,
    input  wire [3:0]  wstrb,
    input  wire        wvalid,
    output wire        wready,
    output reg  [1:0]  bresp,
    output reg         bvalid,
    input  wire        bready,
    input  wire [11:0] araddr,
    input  wire        arvalid,
    output wire        arready,
    output reg  [31:0] rdata,
    output reg  [1:0]  rresp,
    output reg         rvalid,
    input  wire        rready,

    // the current descriptor (the GEMM pending or running)
    output wire [15:0] cfg_m,
    output wire [15:0] cfg_n,
    output wire [15:0] cfg_k,
    output wire [1:0]  cfg_mode,
    output wire [2:0]  cfg_out_mode,
    output wire [4:0]  cfg_sh,
    output wire        cfg_relu,
    output wire [2:0]  cfg_bank,       // banks it reads {table, B, A}
    output wire [2:0]  load_bank,      // LOAD_BANK
    output wire [5:0]  in_use,         // banks read by the current or a queued GEMM

    // control
    output wire        go,             // pulse: start the engine and the PPU
    output wire        clear,          // pulse: soft reset / abort
    output wire        busy,           // a GEMM is pending, running or queued
    input  wire        load_idle,
    input  wire        load_ovf,
    input  wire [31:0] load_cnt_a,
    input  wire [31:0] load_cnt_b,
    input  wire [31:0] load_cnt_t,
    input  wire        eng_err,        // pulse: the engine refused a start
    input  wire [3:0]  eng_err_code,
    input  wire        ppu_err,        // pulse: the PPU refused a start
    input  wire [3:0]  ppu_err_code,
    input  wire [31:0] eng_cyc_mac,
    input  wire        res_last,       // the result word with TLAST was accepted
    output reg         irq
);
    // ---------------------------------------------------------------- map
    localparam [31:0] ID_VALUE      = 32'h5653_5141;   // "VSQA"
    localparam [31:0] VERSION_VALUE = 32'h0001_0001;   // 1.1: banks and the descriptor queue
    localparam [9:0] R_ID = 10'h000, R_VERSION = 10'h001,
                     R_P_LANES = 10'h002, R_P_VEC = 10'h003, R_P_ACC_DEPTH = 10'h004,
                     R_P_A_DEPTH = 10'h005, R_P_B_DEPTH = 10'h006, R_P_OUT_DEPTH = 10'h007,
                     R_P_PPU_ROWS = 10'h008, R_P_MAX_L = 10'h009, R_P_BANKS = 10'h00A, R_P_QUEUE = 10'h00B,
                     R_CTRL = 10'h010, R_STATUS = 10'h011, R_ERR_COUNT = 10'h012,
                     R_IRQ_ENABLE = 10'h013, R_IRQ_STATUS = 10'h014,
                     R_CYC_TOTAL = 10'h015, R_CYC_MAC = 10'h016, R_DONE_COUNT = 10'h017,
                     R_M = 10'h018, R_N = 10'h019, R_K = 10'h01A, R_MODE = 10'h01B,
                     R_OUT_MODE = 10'h01C, R_SH = 10'h01D, R_RELU = 10'h01E, R_RUN_BANK = 10'h01F,
                     R_LOAD_A = 10'h020, R_LOAD_B = 10'h021, R_LOAD_T = 10'h022, R_LOAD_BANK = 10'h023,
                     R_Q_CTRL = 10'h024, R_Q_STATUS = 10'h025;
    localparam [1:0] OKAY = 2'b00, SLVERR = 2'b10;
    localparam [3:0] E_BUSY = `VSQ_ERR_BUSY, E_LOAD_OVERFLOW = `VSQ_ERR_LOAD_OVERFLOW,
                     E_QUEUE_FULL = `VSQ_ERR_QUEUE_FULL;
    localparam       DW = 62;                        // descriptor: {m, n, k, mode, out_mode, sh, relu, banks}
    localparam       QCW = $clog2(QUEUE + 1);
    localparam [2:0] BANK_MASK = (BANKS > 1) ? 3'b111 : 3'b000;   // one bank: the bank fields read 0

    generate
        if (BANKS < 1 || BANKS > 2 || QUEUE < 1 || QUEUE > 127) begin : g_bad
            PARAMETER_ERROR_vsq_top_regs_BANKS_must_be_1_or_2_and_QUEUE_1_to_127 u_param_error ();
        end
    endgenerate

    // ---------------------------------------------------------------- state
    reg        running;          // a GEMM is in flight
    reg        start_pend;       // CTRL.START accepted, waiting for the load path
    reg        st_done;          // STATUS.DONE
    reg        st_error;         // STATUS.ERROR
    reg [3:0]  st_code;          // STATUS.ERR_CODE
    reg [31:0] err_count;
    reg [1:0]  irq_en;
    reg [1:0]  irq_st;
    reg [31:0] cyc_total;
    reg        mac_valid;        // eng_cyc_mac belongs to the last started GEMM
    reg [31:0] done_count;       // GEMMs finished
    // the configuration registers
    reg [15:0] r_m, r_n, r_k;
    reg [1:0]  r_mode;
    reg [2:0]  r_out_mode;
    reg [4:0]  r_sh;
    reg        r_relu;
    reg [2:0]  r_run_bank, r_load_bank;
    reg [DW-1:0] cur;            // the current descriptor
    assign {cfg_m, cfg_n, cfg_k, cfg_mode, cfg_out_mode, cfg_sh, cfg_relu, cfg_bank} = cur;
    assign load_bank = r_load_bank;
    wire [DW-1:0] desc_regs = {r_m, r_n, r_k, r_mode, r_out_mode, r_sh, r_relu, r_run_bank};

    // ---------------------------------------------------------------- AXI4-Lite write
    reg        aw_have, w_have;
    reg [9:0]  aw_idx;
    reg [31:0] w_data;
    reg [3:0]  w_strb;
    assign awready = !aw_have;
    assign wready  = !w_have;
    wire do_write = aw_have && w_have && !bvalid;
    wire [31:0] wmask = {{8{w_strb[3]}}, {8{w_strb[2]}}, {8{w_strb[1]}}, {8{w_strb[0]}}};
    wire [31:0] wbits = w_data & wmask;

    // Write decode: 0 unmapped, 1 read-only, 2 writable.
    reg [1:0] w_kind;
    always @* begin
        case (aw_idx)
            R_ID, R_VERSION, R_P_LANES, R_P_VEC, R_P_ACC_DEPTH, R_P_A_DEPTH, R_P_B_DEPTH,
            R_P_OUT_DEPTH, R_P_PPU_ROWS, R_P_MAX_L, R_P_BANKS, R_P_QUEUE, R_STATUS, R_ERR_COUNT,
            R_CYC_TOTAL, R_CYC_MAC, R_DONE_COUNT, R_LOAD_A, R_LOAD_B, R_LOAD_T,
            R_Q_STATUS:                                                      w_kind = 2'd1;
            R_CTRL, R_IRQ_ENABLE, R_IRQ_STATUS, R_M, R_N, R_K, R_MODE, R_OUT_MODE, R_SH,
            R_RELU, R_RUN_BANK, R_LOAD_BANK, R_Q_CTRL:                       w_kind = 2'd2;
            default:                                                         w_kind = 2'd0;
        endcase
    end
    wire wr_ok    = do_write && (w_kind == 2'd2);
    wire wr_ctrl  = wr_ok && (aw_idx == R_CTRL);
    wire soft_rst = wr_ctrl && wbits[1];
    wire start_wr = wr_ctrl && wbits[0] && !wbits[1];
    wire push_wr  = wr_ok && (aw_idx == R_Q_CTRL) && wbits[0];

    always @(posedge clk) begin
        if (!rst_n) begin
            aw_have <= 1'b0;
            w_have  <= 1'b0;
            bvalid  <= 1'b0;
            bresp   <= OKAY;
        end else begin
            if (awvalid && awready) begin
                aw_have <= 1'b1;
                aw_idx  <= awaddr[11:2];
            end
            if (wvalid && wready) begin
                w_have <= 1'b1;
                w_data <= wdata;
                w_strb <= wstrb;
            end
            if (do_write) begin
                aw_have <= 1'b0;
                w_have  <= 1'b0;
                bvalid  <= 1'b1;
                bresp   <= (w_kind == 2'd2) ? OKAY : SLVERR;
            end else if (bvalid && bready) begin
                bvalid <= 1'b0;
            end
        end
    end

    // ---------------------------------------------------------------- AXI4-Lite read
    assign arready = !rvalid;
    wire [9:0] ar_idx = araddr[11:2];
    reg [31:0] rd_val;
    reg        rd_hit;
    localparam [31:0] P_LANES = LANES, P_VEC = VEC, P_AD = ACC_DEPTH, P_AD_A = A_DEPTH,
                      P_BD = B_DEPTH, P_OD = OUT_DEPTH, P_ROWS = PPU_ROWS, P_MAXL = MAX_L,
                      P_BANKS = BANKS, P_QUEUE = QUEUE;
    wire [QCW-1:0] q_count;
    wire           q_full;
    always @* begin
        rd_hit = 1'b1;
        case (ar_idx)
            R_ID:          rd_val = ID_VALUE;
            R_VERSION:     rd_val = VERSION_VALUE;
            R_P_LANES:     rd_val = P_LANES;
            R_P_VEC:       rd_val = P_VEC;
            R_P_ACC_DEPTH: rd_val = P_AD;
            R_P_A_DEPTH:   rd_val = P_AD_A;
            R_P_B_DEPTH:   rd_val = P_BD;
            R_P_OUT_DEPTH: rd_val = P_OD;
            R_P_PPU_ROWS:  rd_val = P_ROWS;
            R_P_MAX_L:     rd_val = P_MAXL;
            R_P_BANKS:     rd_val = P_BANKS;
            R_P_QUEUE:     rd_val = P_QUEUE;
            R_CTRL:        rd_val = 32'd0;
            R_STATUS:      rd_val = {20'd0, st_code, 5'd0, st_error, st_done, busy};
            R_ERR_COUNT:   rd_val = err_count;
            R_IRQ_ENABLE:  rd_val = {30'd0, irq_en};
            R_IRQ_STATUS:  rd_val = {30'd0, irq_st};
            R_CYC_TOTAL:   rd_val = cyc_total;
            R_CYC_MAC:     rd_val = mac_valid ? eng_cyc_mac : 32'd0;
            R_DONE_COUNT:  rd_val = done_count;
            R_M:           rd_val = {16'd0, r_m};
            R_N:           rd_val = {16'd0, r_n};
            R_K:           rd_val = {16'd0, r_k};
            R_MODE:        rd_val = {30'd0, r_mode};
            R_OUT_MODE:    rd_val = {29'd0, r_out_mode};
            R_SH:          rd_val = {27'd0, r_sh};
            R_RELU:        rd_val = {31'd0, r_relu};
            R_RUN_BANK:    rd_val = {29'd0, r_run_bank};
            R_LOAD_A:      rd_val = load_cnt_a;
            R_LOAD_B:      rd_val = load_cnt_b;
            R_LOAD_T:      rd_val = load_cnt_t;
            R_LOAD_BANK:   rd_val = {29'd0, r_load_bank};
            R_Q_CTRL:      rd_val = 32'd0;
            R_Q_STATUS:    rd_val = {23'd0, q_full, {(8-QCW){1'b0}}, q_count};
            default: begin
                rd_val = 32'd0;
                rd_hit = 1'b0;
            end
        endcase
    end

    always @(posedge clk) begin
        if (!rst_n) begin
            rvalid <= 1'b0;
            rdata  <= 32'd0;
            rresp  <= OKAY;
        end else if (arvalid && arready) begin
            rvalid <= 1'b1;
            rdata  <= rd_val;
            rresp  <= rd_hit ? OKAY : SLVERR;
        end else if (rvalid && rready) begin
            rvalid <= 1'b0;
        end
    end

    // ---------------------------------------------------------------- start check and control
    wire [3:0] chk_code;
    vsq_top_check #(
        .LANES(LANES), .VEC(VEC), .ACC_DEPTH(ACC_DEPTH), .A_DEPTH(A_DEPTH), .B_DEPTH(B_DEPTH),
        .PPU_ROWS(PPU_ROWS), .MAX_L(MAX_L)
    ) u_check (
        .m(cfg_m), .n(cfg_n), .k(cfg_k), .mode(cfg_mode), .out_mode(cfg_out_mode), .code(chk_code)
    );

    // ---------------------------------------------------------------- descriptor queue
    wire          q_valid;
    wire [DW-1:0] q_head;
    wire [5:0]    q_uses;
    wire          q_push   = push_wr && !soft_rst;
    wire          dispatch = !running && !start_pend && q_valid;   // the head becomes the current GEMM
    vsq_top_queue #(.DEPTH(QUEUE), .W(DW), .CNT_W(QCW)) u_queue (
        .clk(clk), .rst_n(rst_n), .clear(soft_rst),
        .push(q_push), .din(desc_regs), .pop(dispatch),
        .valid(q_valid), .head(q_head), .count(q_count), .full(q_full), .uses(q_uses)
    );
    wire [5:0] cur_uses = (running || start_pend)
                        ? {cfg_bank[2], !cfg_bank[2], cfg_bank[1], !cfg_bank[1], cfg_bank[0], !cfg_bank[0]}
                        : 6'd0;
    assign in_use = cur_uses | q_uses;

    assign busy = running || start_pend || q_valid;
    wire launch  = start_pend && load_idle;               // the pending start is decided now
    assign go    = launch && (chk_code == `VSQ_ERR_NONE);
    wire abort   = running && (eng_err || ppu_err);       // a block refused what the check passed
    assign clear = soft_rst || abort;
    wire finish  = running && res_last;

    // Error events of this cycle (at most one in practice; the lowest code is kept).
    wire       ev_refuse = launch && (chk_code != `VSQ_ERR_NONE);
    wire       ev_busy   = start_wr && busy;
    wire       ev_qfull  = q_push && q_full;
    wire [3:0] blk_code  = !eng_err ? ppu_err_code
                         : !ppu_err ? eng_err_code
                         : (eng_err_code < ppu_err_code) ? eng_err_code : ppu_err_code;
    reg  [3:0] ev_code;
    always @* begin
        if (abort)          ev_code = blk_code;
        else if (ev_refuse) ev_code = chk_code;
        else if (ev_busy)   ev_code = E_BUSY;
        else if (load_ovf)  ev_code = E_LOAD_OVERFLOW;
        else                ev_code = E_QUEUE_FULL;
    end
    wire ev_any = abort || ev_refuse || ev_busy || load_ovf || ev_qfull;
    wire [2:0] n_events = {2'b0, abort || ev_refuse} + {2'b0, ev_busy} + {2'b0, load_ovf} + {2'b0, ev_qfull};

    always @(posedge clk) begin
        if (!rst_n) begin
            r_m          <= 16'd0;
            r_n          <= 16'd0;
            r_k          <= 16'd0;
            r_mode       <= 2'd0;
            r_out_mode   <= 3'd0;
            r_sh         <= 5'd0;
            r_relu       <= 1'b0;
            r_run_bank   <= 3'd0;
            r_load_bank  <= 3'd0;
            irq_en       <= 2'b11;
        end else if (wr_ok) begin
            case (aw_idx)
                R_M:          r_m          <= (r_m & ~wmask[15:0]) | wbits[15:0];
                R_N:          r_n          <= (r_n & ~wmask[15:0]) | wbits[15:0];
                R_K:          r_k          <= (r_k & ~wmask[15:0]) | wbits[15:0];
                R_MODE:       if (w_strb[0]) r_mode       <= w_data[1:0];
                R_OUT_MODE:   if (w_strb[0]) r_out_mode   <= w_data[2:0];
                R_SH:         if (w_strb[0]) r_sh         <= w_data[4:0];
                R_RELU:       if (w_strb[0]) r_relu       <= w_data[0];
                R_RUN_BANK:   if (w_strb[0]) r_run_bank   <= w_data[2:0] & BANK_MASK;
                R_LOAD_BANK:  if (w_strb[0]) r_load_bank  <= w_data[2:0] & BANK_MASK;
                R_IRQ_ENABLE: if (w_strb[0]) irq_en       <= w_data[1:0];
                default: ;
            endcase
        end
    end

    // The current descriptor: the registers at an accepted START, the queue's
    // head at a dispatch (no reset needed: read only while pending or running).
    always @(posedge clk) begin
        if (start_wr && !busy)
            cur <= desc_regs;
        else if (dispatch)
            cur <= q_head;
    end

    always @(posedge clk) begin
        if (!rst_n || soft_rst) begin
            running    <= 1'b0;
            start_pend <= 1'b0;
            st_done    <= 1'b0;
            st_error   <= 1'b0;
            st_code    <= `VSQ_ERR_NONE;
            err_count  <= 32'd0;
            irq_st     <= 2'b00;
            cyc_total  <= 32'd0;
            mac_valid  <= 1'b0;
            done_count <= 32'd0;
            irq        <= 1'b0;
        end else begin
            if ((start_wr && !busy) || dispatch)
                start_pend <= 1'b1;
            if (launch) begin
                start_pend <= 1'b0;
                st_done    <= 1'b0;     // a decided start (accepted or refused) clears DONE
            end
            if (go) begin
                running   <= 1'b1;
                st_error  <= 1'b0;
                st_code   <= `VSQ_ERR_NONE;
                cyc_total <= 32'd0;
                mac_valid <= 1'b1;
            end else if (running && cyc_total != 32'hFFFF_FFFF) begin
                cyc_total <= cyc_total + 32'd1;     // saturates: never wraps to a small count
            end
            if (finish || abort)
                running <= 1'b0;
            if (finish) begin
                st_done <= 1'b1;
                if (done_count != 32'hFFFF_FFFF)
                    done_count <= done_count + 32'd1;     // saturates
            end
            if (ev_any) begin
                st_error  <= 1'b1;
                st_code   <= ev_code;
                err_count <= err_count + {29'd0, n_events};
            end
            // IRQ_STATUS: W1C, a new event in the same cycle wins
            irq_st <= (irq_st & ~((wr_ok && aw_idx == R_IRQ_STATUS) ? wbits[1:0] : 2'b00))
                    | {ev_any, finish};
            irq <= |(irq_st & irq_en);
        end
    end

    wire unused = &{1'b0, wbits[31:2], w_data[31:3], awaddr[1:0], araddr[1:0]};

`ifdef VSQ_ASSERT
    // Invariants (formal/README.md): checked by formal/top_inv.sby and, in
    // simulation, by Verilator --assert (tb/sim.py). Sampled at the clock edge.
    reg        a_live;    // a reset has been seen
    initial a_live = 1'b0;
    reg        a_irq;            // what irq must be now
    reg        a_cyc_restart;    // CYC_TOTAL may restart now
    reg [31:0] a_cyc, a_done;
    reg        a_done_restart;
    always @(posedge clk) begin
        if (!rst_n) a_live <= 1'b1;
        a_irq         <= rst_n && !soft_rst && |(irq_st & irq_en);
        a_cyc_restart <= !rst_n || soft_rst || go;
        a_cyc         <= cyc_total;
        a_done        <= done_count;
        a_done_restart <= !rst_n || soft_rst;
        if (a_live && rst_n) begin
            assert(!(running && start_pend));                 // BUSY: one of pending / running
            assert(!(st_done && running));                    // DONE never while a GEMM runs
            assert(st_error == (st_code != 4'd0));            // ERROR iff a code
            assert(irq == a_irq);                             // irq = |(IRQ_STATUS & IRQ_ENABLE), registered
            assert(!(ev_refuse && go));                       // a refused start runs nothing
            assert(!(finish && !running));
            assert(a_cyc_restart || cyc_total >= a_cyc);      // CYC_TOTAL never wraps
            assert(a_done_restart || done_count >= a_done);   // DONE_COUNT never wraps
            assert(!bvalid || bresp == OKAY || bresp == SLVERR);
            assert(!(dispatch && start_wr && !busy));        // a dispatch never races an accepted START
            assert(!q_valid || busy);                         // a queued GEMM keeps BUSY high
        end
    end
`endif
endmodule
