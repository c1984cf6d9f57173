// vsq_dot: one lane's per-step contribution d (numerics.md §2), combinational.
//
// An operand word carries VEC INT4 elements or VEC/2 INT8 elements plus an
// 8-bit per-vector scale. INT8 products are fused from 4-bit nibble products
// (a8 = ah*16 + al with ah signed and al unsigned), so the INT4 and INT8 modes
// share one array of 5x5-bit multipliers, as the chip's configurable MAC does.
// In INT4 modes only the hh and ll products of each nibble pair are used, with
// both nibbles sign-extended.
//
// mode: 0 = int8, 1 = int4, 2 = int4_vsq (3 behaves as int4; the top refuses it).
// HAS_INT8 / HAS_VSQ drop the INT8 cross products and the scale path, for
// cost comparisons of reduced builds (bench); the full design uses both.
`include "vsq_defs.vh"
module vsq_dot #(
    parameter VEC      = 64,
    parameter HAS_INT8 = 1,
    parameter HAS_VSQ  = 1,
    // Width of d: |d| <= VEC * 2^13 in every mode, so this holds it (derived;
    // not meant to be overridden).
    parameter D_W      = $clog2(VEC) + 15
) (
    input  wire [1:0]           mode,
    input  wire [VEC*4-1:0]     a,
    input  wire [7:0]           sa,
    input  wire [VEC*4-1:0]     b,
    input  wire [7:0]           sb,
    output wire signed [D_W-1:0] d
);
    localparam PAIRS = VEC / 2;
    // Sum of one nibble pair: INT8 product (<= 2^14) or two INT4 products.
    localparam PAIR_W = 17;

    wire is_int8 = (HAS_INT8 != 0) && (mode == `VSQ_MODE_INT8);
    wire is_vsq  = (HAS_VSQ != 0) && (mode == `VSQ_MODE_INT4_VSQ);

    wire signed [PAIR_W-1:0] pair_sum [0:PAIRS-1];

    genvar j;
    generate
        for (j = 0; j < PAIRS; j = j + 1) begin : g_pair
            wire [3:0] al = a[8*j+3:8*j];
            wire [3:0] ah = a[8*j+7:8*j+4];
            wire [3:0] bl = b[8*j+3:8*j];
            wire [3:0] bh = b[8*j+7:8*j+4];
            // Low nibbles: unsigned digit of an INT8 value, or a signed INT4 value.
            wire signed [4:0] al5 = is_int8 ? {1'b0, al} : {al[3], al};
            wire signed [4:0] bl5 = is_int8 ? {1'b0, bl} : {bl[3], bl};
            wire signed [4:0] ah5 = {ah[3], ah};
            wire signed [4:0] bh5 = {bh[3], bh};
            wire signed [9:0] hh = ah5 * bh5;
            wire signed [9:0] ll = al5 * bl5;
            wire signed [PAIR_W-1:0] hh_x = {{(PAIR_W-10){hh[9]}}, hh};
            wire signed [PAIR_W-1:0] ll_x = {{(PAIR_W-10){ll[9]}}, ll};
            if (HAS_INT8 != 0) begin : g_int8
                wire signed [9:0] hl = ah5 * bl5;
                wire signed [9:0] lh = al5 * bh5;
                wire signed [PAIR_W-1:0] mid = {{(PAIR_W-10){hl[9]}}, hl} + {{(PAIR_W-10){lh[9]}}, lh};
                assign pair_sum[j] = is_int8 ? ((hh_x <<< 8) + (mid <<< 4) + ll_x)
                                             : (hh_x + ll_x);
            end else begin : g_int4
                assign pair_sum[j] = hh_x + ll_x;
            end
        end
    endgenerate

    // Adder over the pairs. |dot| <= VEC * 2^13, so D_W bits hold it.
    reg signed [D_W-1:0] dot;
    integer i;
    always @* begin
        dot = {D_W{1'b0}};
        for (i = 0; i < PAIRS; i = i + 1)
            dot = dot + {{(D_W-PAIR_W){pair_sum[i][PAIR_W-1]}}, pair_sum[i]};
    end

    generate
        if (HAS_VSQ != 0) begin : g_vsq
            // Scale product rounded to 8 bits: p8 = (sa*sb + 128) >> 8, in 0..254.
            // sa*sb + 128 <= 65153 never carries out of 16 bits.
            wire [15:0] p = sa * sb;
            wire [7:0]  p8;
            wire [7:0]  unused_round_bits;
            assign {p8, unused_round_bits} = p + 16'd128;
            // In int4_vsq |dot| <= VEC * 64, so dot * p8 < VEC * 2^14 fits D_W:
            // the product is computed at D_W bits and loses nothing.
            wire signed [D_W-1:0] p8_x   = {{(D_W-8){1'b0}}, p8};
            wire signed [D_W-1:0] scaled = dot * p8_x;
            assign d = is_vsq ? scaled : dot;
        end else begin : g_novsq
            assign d = dot;
            wire unused_scales = &{1'b0, sa, sb, is_vsq};
        end
    endgenerate
endmodule
