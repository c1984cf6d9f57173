// vsq_top_formal: the formal harness of vsq_top in the fast configuration
// (tb/common/params.py PARAM_SETS["fast"]); read by formal/top_*.sby only.
//
// Every input of the top is free: the solver is the host, constrained only by
// what the AMBA specifications let a host do (axil_props.v, axis_props.v).
// aresetn may fall in any cycle (the first cycle is in reset); CTRL.START,
// CTRL.SOFT_RESET, every register and every load are reachable through the
// free ports. The design's own invariants are the assertions under
// VSQ_ASSERT in rtl/ (read with -DVSQ_ASSERT).
`default_nettype none
module vsq_top_formal #(
    parameter LANES = 4, parameter VEC = 16, parameter ACC_DEPTH = 4,
    parameter A_DEPTH = 32, parameter B_DEPTH = 256, parameter OUT_DEPTH = 128
) (
    input wire             aclk,
    input wire             aresetn,
    input wire [11:0]      s_axil_awaddr,
    input wire             s_axil_awvalid,
    input wire [31:0]      s_axil_wdata,
    input wire [3:0]       s_axil_wstrb,
    input wire             s_axil_wvalid,
    input wire             s_axil_bready,
    input wire [11:0]      s_axil_araddr,
    input wire             s_axil_arvalid,
    input wire             s_axil_rready,
    input wire [VEC*4+7:0] s_axis_tdata,
    input wire             s_axis_tvalid,
    input wire             s_axis_tlast,
    input wire [1:0]       s_axis_tdest,
    input wire             m_axis_tready
);
    localparam W = VEC * 4 + 8;
    wire          s_axil_awready, s_axil_wready, s_axil_bvalid, s_axil_arready, s_axil_rvalid;
    wire [1:0]    s_axil_bresp, s_axil_rresp;
    wire [31:0]   s_axil_rdata;
    wire          s_axis_tready, m_axis_tvalid, m_axis_tlast, irq;
    wire [W-1:0]  m_axis_tdata;
    wire [31:0]   m_axis_tuser;

    vsq_top #(
        .LANES(LANES), .VEC(VEC), .ACC_DEPTH(ACC_DEPTH), .A_DEPTH(A_DEPTH),
        .B_DEPTH(B_DEPTH), .OUT_DEPTH(OUT_DEPTH)
    ) dut (
        .aclk(aclk), .aresetn(aresetn),
        .s_axil_awaddr(s_axil_awaddr), .s_axil_awvalid(s_axil_awvalid), .s_axil_awready(s_axil_awready),
        .s_axil_wdata(s_axil_wdata), .s_axil_wstrb(s_axil_wstrb), .s_axil_wvalid(s_axil_wvalid),
        .s_axil_wready(s_axil_wready), .s_axil_bresp(s_axil_bresp), .s_axil_bvalid(s_axil_bvalid),
        .s_axil_bready(s_axil_bready), .s_axil_araddr(s_axil_araddr), .s_axil_arvalid(s_axil_arvalid),
        .s_axil_arready(s_axil_arready), .s_axil_rdata(s_axil_rdata), .s_axil_rresp(s_axil_rresp),
        .s_axil_rvalid(s_axil_rvalid), .s_axil_rready(s_axil_rready),
        .s_axis_tdata(s_axis_tdata), .s_axis_tvalid(s_axis_tvalid), .s_axis_tready(s_axis_tready),
        .s_axis_tlast(s_axis_tlast), .s_axis_tdest(s_axis_tdest),
        .m_axis_tdata(m_axis_tdata), .m_axis_tvalid(m_axis_tvalid), .m_axis_tready(m_axis_tready),
        .m_axis_tlast(m_axis_tlast), .m_axis_tuser(m_axis_tuser), .irq(irq)
    );

    vsq_axil_props axil (
        .clk(aclk), .rst_n(aresetn),
        .awaddr(s_axil_awaddr), .awvalid(s_axil_awvalid), .awready(s_axil_awready),
        .wdata(s_axil_wdata), .wstrb(s_axil_wstrb), .wvalid(s_axil_wvalid), .wready(s_axil_wready),
        .bresp(s_axil_bresp), .bvalid(s_axil_bvalid), .bready(s_axil_bready),
        .araddr(s_axil_araddr), .arvalid(s_axil_arvalid), .arready(s_axil_arready),
        .rdata(s_axil_rdata), .rresp(s_axil_rresp), .rvalid(s_axil_rvalid), .rready(s_axil_rready)
    );
    vsq_axis_props #(.IS_HOST(1), .PW(W + 3)) s_axis (
        .clk(aclk), .rst_n(aresetn), .tvalid(s_axis_tvalid), .tready(s_axis_tready),
        .payload({s_axis_tdata, s_axis_tlast, s_axis_tdest})
    );
    vsq_axis_props #(.IS_HOST(0), .PW(W + 33)) m_axis (
        .clk(aclk), .rst_n(aresetn), .tvalid(m_axis_tvalid), .tready(m_axis_tready),
        .payload({m_axis_tdata, m_axis_tuser, m_axis_tlast})
    );

    reg f_past_valid = 1'b0, f_past_rstn = 1'b0;
    always @(posedge aclk) begin
        f_past_valid <= 1'b1;
        f_past_rstn  <= aresetn;
    end
    wire f_after_rst = f_past_valid && !f_past_rstn;
    always @* begin
        if (!f_past_valid) assume(!aresetn);
        // docs/rtl-top.md "Ports" and "Resets": the payload is 0 while TVALID is
        // low; after aresetn s_axis is ready and irq low
        if (!m_axis_tvalid) top_m_idle_zero: assert(m_axis_tdata == 0 && m_axis_tuser == 0 && !m_axis_tlast);
        if (f_after_rst) top_reset_ready: assert(s_axis_tready && !irq);
    end
    always @(posedge aclk) if (aresetn && f_past_rstn) begin
        cov_gemm_last: cover(m_axis_tvalid && m_axis_tready && m_axis_tlast);
    end
endmodule
`default_nettype wire
