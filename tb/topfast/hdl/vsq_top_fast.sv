// Testbench wrapper of vsq_top for the fast stream path (Verilator only: DPI-C;
// tb/topfast/README.md). The clock, the reset and irq are vsq_top's own ports;
// its bus ports are driven inside the model by fast_stream.cpp, once per
// rising edge: s_axis by a frame player (idle cycles from the load pattern,
// TVALID held until accepted), m_axis by a recorder (TREADY from the result
// pattern), s_axil by a master that runs the accesses Python queues.
// Python sees only counters (frames sent, frames recorded, accesses answered)
// and waits on their changes: one wake per frame or access instead of one per
// beat or cycle.
module vsq_top_fast #(
    parameter LANES     = 16,
    parameter VEC       = 64,
    parameter ACC_DEPTH = 16,
    parameter A_DEPTH   = 128,
    parameter B_DEPTH   = 2048,
    parameter OUT_DEPTH = 512
) (
    input  wire        aclk,
    input  wire        aresetn,
    output wire        irq,
    output reg  [31:0] fast_src_done,    // load frames whose last beat was accepted
    output reg  [31:0] fast_cap_frames,  // result frames recorded (up to TLAST)
    output reg  [31:0] fast_axil_wdone,  // AXI4-Lite writes answered (B)
    output reg  [31:0] fast_axil_rdone   // AXI4-Lite reads answered (R)
);
    localparam W = VEC * 4 + 8;
    // The DPI data arguments are 512 bits (fast_stream.cpp's LIMBS): refuse a wider word at elaboration.
    generate if (W > 512) begin : g_word_too_wide
        $error("vsq_top_fast: a word of VEC*4+8 = %0d bits does not fit the 512-bit DPI data", W);
    end endgenerate

    import "DPI-C" function void vsq_fs_src(input bit rst_n, input bit tready, output bit valid,
                                            output bit last, output int dest, output bit [511:0] data,
                                            output int done);
    import "DPI-C" function void vsq_fs_snk(input bit rst_n, input bit tvalid, input bit tready,
                                            input bit tlast, input int tuser, input bit [511:0] tdata,
                                            input longint t, output bit tready_next, output int frames);

    // Every register is written at every rising edge (from the model's calls below).
    reg          s_valid, s_last, m_ready;
    reg  [1:0]   s_dest;
    reg  [W-1:0] s_data;
    wire         s_ready, m_valid, m_last;
    wire [W-1:0] m_data;
    wire [31:0]  m_user;

    import "DPI-C" function void vsq_fs_axil(input bit rst_n, input bit awready, input bit wready,
                                             input bit bvalid, input int bresp, input bit arready, input bit rvalid,
                                             input int rdata, input int rresp, output bit awvalid, output int awaddr,
                                             output bit wvalid, output int wdata, output int wstrb,
                                             output bit arvalid, output int araddr, output int wdone,
                                             output int rdone);

    bit          v, l, rn;
    int          d, done, frames;
    bit [511:0]  data;
    wire [511:0] tdata = {{(512 - W){1'b0}}, m_data};

    // AXI4-Lite, driven by the model's master (bready, rready always high)
    reg          awvalid, wvalid, arvalid;
    reg  [11:0]  awaddr, araddr;
    reg  [31:0]  wdata;
    reg  [3:0]   wstrb;
    wire         awready, wready, bvalid, arready, rvalid;
    wire [1:0]   bresp, rresp;
    wire [31:0]  rdata;
    bit          aw_v, w_v, ar_v;
    int          aw_a, w_d, w_s, ar_a, wdone, rdone;

    always @(posedge aclk) begin
        vsq_fs_src(aresetn, s_ready, v, l, d, data, done);
        s_valid <= v;
        s_last <= l;
        s_dest <= d[1:0];
        s_data <= data[W-1:0];
        fast_src_done <= done;
        vsq_fs_snk(aresetn, m_valid, m_ready, m_last, m_user, tdata, $time, rn, frames);
        m_ready <= rn;
        fast_cap_frames <= frames;
        vsq_fs_axil(aresetn, awready, wready, bvalid, {30'd0, bresp}, arready, rvalid, rdata, {30'd0, rresp},
                    aw_v, aw_a, w_v, w_d, w_s, ar_v, ar_a, wdone, rdone);
        awvalid <= aw_v;
        awaddr <= aw_a[11:0];
        wvalid <= w_v;
        wdata <= w_d;
        wstrb <= w_s[3:0];
        arvalid <= ar_v;
        araddr <= ar_a[11:0];
        fast_axil_wdone <= wdone;
        fast_axil_rdone <= rdone;
    end

    vsq_top #(.LANES(LANES), .VEC(VEC), .ACC_DEPTH(ACC_DEPTH), .A_DEPTH(A_DEPTH), .B_DEPTH(B_DEPTH),
              .OUT_DEPTH(OUT_DEPTH)) u_top (
        .aclk(aclk), .aresetn(aresetn),
        .s_axil_awaddr(awaddr), .s_axil_awvalid(awvalid), .s_axil_awready(awready),
        .s_axil_wdata(wdata), .s_axil_wstrb(wstrb), .s_axil_wvalid(wvalid),
        .s_axil_wready(wready), .s_axil_bresp(bresp), .s_axil_bvalid(bvalid),
        .s_axil_bready(1'b1), .s_axil_araddr(araddr), .s_axil_arvalid(arvalid),
        .s_axil_arready(arready), .s_axil_rdata(rdata), .s_axil_rresp(rresp),
        .s_axil_rvalid(rvalid), .s_axil_rready(1'b1),
        .s_axis_tdata(s_data), .s_axis_tvalid(s_valid), .s_axis_tready(s_ready), .s_axis_tlast(s_last),
        .s_axis_tdest(s_dest),
        .m_axis_tdata(m_data), .m_axis_tvalid(m_valid), .m_axis_tready(m_ready), .m_axis_tlast(m_last),
        .m_axis_tuser(m_user),
        .irq(irq)
    );
endmodule
