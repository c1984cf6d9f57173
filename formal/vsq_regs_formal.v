// vsq_regs_formal: the AXI4-Lite slave on its own (vsq_top_regs with every
// other input free: load path, engine and PPU may do anything), so that
// k-induction closes on the AXI4-Lite properties; formal/regs_axil.sby.
`default_nettype none
module vsq_regs_formal (
    input wire        clk,
    input wire        rst_n,
    input wire [11:0] awaddr,
    input wire        awvalid,
    input wire [31:0] wdata,
    input wire [3:0]  wstrb,
    input wire        wvalid,
    input wire        bready,
    input wire [11:0] araddr,
    input wire        arvalid,
    input wire        rready,
    input wire        load_idle,
    input wire        load_ovf,
    input wire [31:0] load_cnt_a,
    input wire [31:0] load_cnt_b,
    input wire [31:0] load_cnt_t,
    input wire        eng_err,
    input wire [3:0]  eng_err_code,
    input wire        ppu_err,
    input wire [3:0]  ppu_err_code,
    input wire [31:0] eng_cyc_mac,
    input wire        res_last
);
    wire        awready, wready, bvalid, arready, rvalid, go, clear, busy, irq;
    wire [1:0]  bresp, rresp;
    wire [31:0] rdata;
    wire [15:0] cfg_m, cfg_n, cfg_k;
    wire [1:0]  cfg_mode;
    wire [2:0]  cfg_out_mode;
    wire [4:0]  cfg_sh;
    wire        cfg_relu;
    wire [2:0]  cfg_bank, load_bank;
    wire [5:0]  in_use;
    vsq_top_regs #(.LANES(4), .VEC(16), .ACC_DEPTH(4), .A_DEPTH(32), .B_DEPTH(256), .OUT_DEPTH(128)) dut (
        .clk(clk), .rst_n(rst_n),
        .awaddr(awaddr), .awvalid(awvalid), .awready(awready), .wdata(wdata), .wstrb(wstrb),
        .wvalid(wvalid), .wready(wready), .bresp(bresp), .bvalid(bvalid), .bready(bready),
        .araddr(araddr), .arvalid(arvalid), .arready(arready), .rdata(rdata), .rresp(rresp),
        .rvalid(rvalid), .rready(rready),
        .cfg_m(cfg_m), .cfg_n(cfg_n), .cfg_k(cfg_k), .cfg_mode(cfg_mode), .cfg_out_mode(cfg_out_mode),
        .cfg_sh(cfg_sh), .cfg_relu(cfg_relu), .cfg_bank(cfg_bank), .load_bank(load_bank),
        .in_use(in_use), .go(go), .clear(clear), .busy(busy),
        .load_idle(load_idle), .load_ovf(load_ovf), .load_cnt_a(load_cnt_a), .load_cnt_b(load_cnt_b),
        .load_cnt_t(load_cnt_t), .eng_err(eng_err), .eng_err_code(eng_err_code), .ppu_err(ppu_err),
        .ppu_err_code(ppu_err_code), .eng_cyc_mac(eng_cyc_mac), .res_last(res_last), .irq(irq)
    );
    vsq_axil_props axil (
        .clk(clk), .rst_n(rst_n),
        .awaddr(awaddr), .awvalid(awvalid), .awready(awready), .wdata(wdata), .wstrb(wstrb),
        .wvalid(wvalid), .wready(wready), .bresp(bresp), .bvalid(bvalid), .bready(bready),
        .araddr(araddr), .arvalid(arvalid), .arready(arready), .rdata(rdata), .rresp(rresp),
        .rvalid(rvalid), .rready(rready)
    );
    reg f_past_valid = 1'b0;
    always @(posedge clk) f_past_valid <= 1'b1;
    always @* begin
        if (!f_past_valid) assume(!rst_n);
        // what the engine and the PPU guarantee: a refusal carries its code (1..11)
        if (eng_err) assume(eng_err_code != 4'd0);
        if (ppu_err) assume(ppu_err_code != 4'd0);
    end
    wire unused = &{1'b0, cfg_m, cfg_n, cfg_k, cfg_mode, cfg_out_mode, cfg_sh, cfg_relu, cfg_bank, load_bank, in_use,
                         go, clear, busy, irq};
endmodule
`default_nettype wire
