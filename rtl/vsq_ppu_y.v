// vsq_ppu_y: one lane of the PPU's row datapath (numerics.md §4),
// combinational:
//   t = acc * g           (int24 x uint16, exact, 40 bits signed)
//   u = rhu(t, sh)        (round half up; u = t when sh = 0)
//   v = u + bias          (int16 bias)
//   v = max(v, 0)         if relu
//   y = sat18(v)
module vsq_ppu_y (
    input  wire signed [23:0] acc,
    input  wire        [15:0] g,
    input  wire signed [15:0] bias,
    input  wire        [4:0]  sh,
    input  wire               relu,
    output wire signed [17:0] y
);
    // |t| < 2^39, |round constant| <= 2^30: 41 bits hold every intermediate.
    wire signed [40:0] t    = acc * $signed({1'b0, g});
    wire signed [40:0] half = (sh == 5'd0) ? 41'sd0 : (41'sd1 <<< (sh - 5'd1));
    wire signed [40:0] tr   = t + half;
    wire signed [40:0] u    = tr >>> sh;
    wire signed [40:0] v    = u + {{25{bias[15]}}, bias};
    wire signed [40:0] vr   = (relu && v[40]) ? 41'sd0 : v;

    assign y = (vr > 41'sd131071)  ? 18'sd131071
             : (vr < -41'sd131072) ? -18'sd131072
             : vr[17:0];
endmodule
