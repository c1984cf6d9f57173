// vsq_ppu_quant: one output element of the PPU's quantizer (numerics.md §5),
// combinational.
//   vsq = 0:  q = clamp(y, -Qmax, Qmax)                       (int8 / int4)
//   vsq = 1:  q = clamp(rhu(y * r, 16), -Qmax, Qmax)          (int8_vsq / int4_vsq)
// with Qmax = 127 when is8, 7 otherwise, and r the group's reciprocal.
// q is returned as an 8-bit two's complement value (int4: low nibble used).
module vsq_ppu_quant (
    input  wire signed [17:0] y,
    input  wire        [16:0] r,
    input  wire               vsq,
    input  wire               is8,
    output wire        [7:0]  q
);
    // |y * r| <= 2^17 * 2^16: 35 bits signed; 36 leave room for the rounding add.
    wire signed [35:0] prod = y * $signed({1'b0, r});
    wire signed [35:0] rq   = (prod + 36'sd32768) >>> 16;
    wire signed [35:0] w    = vsq ? rq : {{18{y[17]}}, y};
    wire signed [35:0] qmax = is8 ? 36'sd127 : 36'sd7;
    wire signed [35:0] qc   = (w > qmax) ? qmax : (w < -qmax) ? -qmax : w;
    assign q = qc[7:0];
    wire unused_hi = &{1'b0, qc[35:8]};
endmodule
