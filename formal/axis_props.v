// AXI4-Stream properties (AMBA AXI4-Stream Protocol Specification, IHI 0051:
// 2.2.1 handshake, 2.7.2 reset): once TVALID is high it stays high, with
// TDATA/TUSER/TLAST/TDEST unchanged, until TREADY; TVALID is low in the first
// cycle after reset. vsq_axis_props asserts them of a stream the design
// drives (IS_HOST = 0) or assumes them of one the host drives (IS_HOST = 1).
// Formal only (formal/*.sby).
`default_nettype none
module vsq_axis_props #(
    parameter IS_HOST = 0,
    parameter PW = 8                    // payload bits: {TDATA, TUSER, TLAST, TDEST}
) (
    input wire          clk,
    input wire          rst_n,
    input wire          tvalid,
    input wire          tready,
    input wire [PW-1:0] payload
);
    reg f_past_valid = 1'b0, f_past_rstn = 1'b0;
    reg p_stall;
    reg [PW-1:0] p_payload;
    always @(posedge clk) begin
        f_past_valid <= 1'b1;
        f_past_rstn  <= rst_n;
        p_stall      <= tvalid && !tready;
        p_payload    <= payload;
    end
    wire f_after_rst = f_past_valid && !f_past_rstn;
    wire f_run       = f_past_valid && f_past_rstn && rst_n;
    generate
        if (IS_HOST) begin : g_host
            always @* begin
                if (!rst_n || f_after_rst) assume(!tvalid);
                if (f_run && p_stall) begin
                    assume(tvalid);
                    assume(payload == p_payload);
                end
            end
        end else begin : g_dut
            always @* begin
                if (f_after_rst) axis_reset: assert(!tvalid);
                if (f_run && p_stall) begin
                    axis_valid_stable: assert(tvalid);
                    axis_payload_stable: assert(payload == p_payload);
                end
            end
        end
    endgenerate
endmodule
`default_nettype wire
