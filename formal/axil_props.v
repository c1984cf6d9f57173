// vsq_axil_props: AXI4-Lite slave properties, written from the AMBA AXI
// specification (IHI 0022: A3.1.2 reset, A3.2.1 handshake, A3.3.1 channel
// dependencies, B1 AXI4-Lite). The host side is assumed (a legal master),
// what the slave drives is asserted. The idea of counting outstanding
// requests and tying the counts to the ready/valid outputs, so that
// k-induction closes, is the one of ZipCPU's faxil_slave (wb2axip,
// Apache-2.0); the properties are written here, not copied.
// Formal only (formal/*.sby).
`default_nettype none
module vsq_axil_props #(
    parameter AW = 12,
    parameter MAXWAIT = 4              // cycles a complete request may wait for its response
) (
    input wire          clk,
    input wire          rst_n,
    input wire [AW-1:0] awaddr,
    input wire          awvalid,
    input wire          awready,
    input wire [31:0]   wdata,
    input wire [3:0]    wstrb,
    input wire          wvalid,
    input wire          wready,
    input wire [1:0]    bresp,
    input wire          bvalid,
    input wire          bready,
    input wire [AW-1:0] araddr,
    input wire          arvalid,
    input wire          arready,
    input wire [31:0]   rdata,
    input wire [1:0]    rresp,
    input wire          rvalid,
    input wire          rready
);
    reg f_past_valid = 1'b0, f_past_rstn = 1'b0;
    always @(posedge clk) begin
        f_past_valid <= 1'b1;
        f_past_rstn  <= rst_n;
    end
    wire f_after_rst = f_past_valid && !f_past_rstn;      // the first cycle after a reset edge
    wire f_run       = f_past_valid && f_past_rstn && rst_n;

    // ---------------------------------------------------------------- master (host): assumed
    always @* if (!rst_n || f_after_rst) begin
        assume(!awvalid); assume(!wvalid); assume(!arvalid);
    end
    reg           p_aw_stall, p_w_stall, p_ar_stall, p_b_stall, p_r_stall;
    reg [AW-1:0]  p_awaddr, p_araddr;
    reg [31:0]    p_wdata, p_rdata;
    reg [3:0]     p_wstrb;
    reg [1:0]     p_bresp, p_rresp;
    always @(posedge clk) begin
        p_aw_stall <= awvalid && !awready;  p_awaddr <= awaddr;
        p_w_stall  <= wvalid && !wready;    p_wdata  <= wdata;  p_wstrb <= wstrb;
        p_ar_stall <= arvalid && !arready;  p_araddr <= araddr;
        p_b_stall  <= bvalid && !bready;    p_bresp  <= bresp;
        p_r_stall  <= rvalid && !rready;    p_rdata  <= rdata;  p_rresp <= rresp;
    end
    always @* if (f_run) begin
        if (p_aw_stall) begin assume(awvalid); assume(awaddr == p_awaddr); end
        if (p_w_stall)  begin assume(wvalid);  assume(wdata == p_wdata); assume(wstrb == p_wstrb); end
        if (p_ar_stall) begin assume(arvalid); assume(araddr == p_araddr); end
    end

    // ---------------------------------------------------------------- slave (design): asserted
    reg [2:0] f_aw = 3'd0, f_w = 3'd0, f_ar = 3'd0;          // requests in minus responses out
    wire b_hs = bvalid && bready, r_hs = rvalid && rready;
    always @(posedge clk) begin
        if (!rst_n) begin
            f_aw <= 3'd0; f_w <= 3'd0; f_ar <= 3'd0;
        end else begin
            f_aw <= f_aw + (awvalid && awready) - b_hs;
            f_w  <= f_w + (wvalid && wready) - b_hs;
            f_ar <= f_ar + (arvalid && arready) - r_hs;
        end
    end
    reg [3:0] f_bwait = 4'd0, f_rwait = 4'd0;                // a complete request waiting
    always @(posedge clk) begin
        if (!rst_n || bvalid || f_aw == 3'd0 || f_w == 3'd0) f_bwait <= 4'd0;
        else if (f_bwait != 4'hF) f_bwait <= f_bwait + 4'd1;
        if (!rst_n || rvalid || f_ar == 3'd0) f_rwait <= 4'd0;
        else if (f_rwait != 4'hF) f_rwait <= f_rwait + 4'd1;
    end
    always @* begin
        if (f_after_rst) begin
            axil_reset_b: assert(!bvalid);
            axil_reset_r: assert(!rvalid);
        end
        if (f_run && p_b_stall) axil_b_stable: assert(bvalid && bresp == p_bresp);
        if (f_run && p_r_stall) axil_r_stable: assert(rvalid && rdata == p_rdata && rresp == p_rresp);
        if (rst_n) begin
            // no response without its request (AW and W both in, A3.3.1; AR in)
            axil_b_needs_req: assert(!bvalid || (f_aw != 3'd0 && f_w != 3'd0));
            axil_r_needs_req: assert(!rvalid || f_ar != 3'd0);
            // exactly one response per request: the count is what the slave holds
            // (one write and one read at a time, docs/rtl-top.md "Registers")
            axil_aw_count: assert(f_aw == {2'd0, bvalid} + {2'd0, !awready});
            axil_w_count:  assert(f_w  == {2'd0, bvalid} + {2'd0, !wready});
            axil_ar_count: assert(f_ar == {2'd0, rvalid});
            // and it comes (bounded)
            axil_b_live: assert(f_bwait < MAXWAIT);
            axil_r_live: assert(f_rwait < MAXWAIT);
            axil_resp_code: assert((!bvalid || !bresp[0]) && (!rvalid || !rresp[0]));  // OKAY or SLVERR
        end
    end

    // ---------------------------------------------------------------- covers
    always @(posedge clk) if (f_run) begin
        cov_reg_write: cover(b_hs && bresp == 2'b00);
        cov_reg_read:  cover(r_hs && rresp == 2'b00);
    end
endmodule
`default_nettype wire
