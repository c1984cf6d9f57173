// vsq_lane: one vector-MAC lane (numerics.md §2) — vsq_dot followed by a
// 24-bit saturating accumulator. A step with `first` set starts a new output
// (acc = 0 before it). One step per cycle; acc is registered (latency 1) and
// out_valid marks the cycle after each accepted step.
module vsq_lane #(
    parameter VEC      = 64,
    parameter HAS_INT8 = 1,
    parameter HAS_VSQ  = 1
) (
    input  wire                  clk,
    input  wire                  rst_n,      // synchronous, active low
    input  wire                  in_valid,
    input  wire                  in_first,
    input  wire [1:0]            mode,
    input  wire [VEC*4-1:0]      a,
    input  wire [7:0]            sa,
    input  wire [VEC*4-1:0]      b,
    input  wire [7:0]            sb,
    output reg  signed [23:0]    acc,
    output reg                   out_valid,
    output reg                   sat_pos,    // this step clipped at +2^23-1
    output reg                   sat_neg     // this step clipped at -2^23
);
    localparam D_W = $clog2(VEC) + 15;

    wire signed [D_W-1:0] d;
    wire signed [23:0]    acc_next;
    wire                  clip_pos, clip_neg;

    vsq_dot #(.VEC(VEC), .HAS_INT8(HAS_INT8), .HAS_VSQ(HAS_VSQ), .D_W(D_W)) u_dot (
        .mode(mode), .a(a), .sa(sa), .b(b), .sb(sb), .d(d)
    );

    vsq_sat_add #(.ACC_W(24), .D_W(D_W)) u_add (
        .acc_in(in_first ? 24'sd0 : acc), .d(d),
        .acc_out(acc_next), .sat_pos(clip_pos), .sat_neg(clip_neg)
    );

    always @(posedge clk) begin
        if (!rst_n) begin
            acc       <= 24'sd0;
            out_valid <= 1'b0;
            sat_pos   <= 1'b0;
            sat_neg   <= 1'b0;
        end else begin
            out_valid <= in_valid;
            if (in_valid) begin
                acc     <= acc_next;
                sat_pos <= clip_pos;
                sat_neg <= clip_neg;
            end
        end
    end
endmodule
