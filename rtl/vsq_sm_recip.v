// vsq_sm_recip: Softermax reciprocal of the running sum (numerics.md §6),
// linear piecewise over 8 segments of the normalized sum. Combinational.
//   z  = floor(log2(D))                  (9..19 for a real column, D >= 608)
//   Dn = D << (15 - z)  or  D >> (z - 15)    in [2^15, 2^16)
//   i  = Dn[14:12], t = Dn[11:0]
//   R  = C0[i] - ((C1[i] * t) >> 12)     (about 2^30 / Dn)
// D = 0 (never seen) gives z = 0 and a meaningless R.
module vsq_sm_recip (
    input  wire [19:0] d,
    output reg  [4:0]  z,
    output wire [15:0] r
);
    integer k;
    always @* begin
        z = 5'd0;
        for (k = 1; k < 20; k = k + 1)
            if (d[k]) z = k[4:0];
    end

    wire [34:0] d_up = {15'd0, d} << (5'd15 - z);   // used when z <= 15
    wire [19:0] d_dn = d >> (z - 5'd15);            // used when z > 15
    wire [15:0] dn   = (z <= 5'd15) ? d_up[15:0] : d_dn[15:0];
    wire [2:0]  seg  = dn[14:12];
    wire [11:0] t    = dn[11:0];

    reg [15:0] c0;
    reg [11:0] c1;
    always @* begin
        case (seg)
            3'd0:    begin c0 = 16'd32768; c1 = 12'd3641; end
            3'd1:    begin c0 = 16'd29127; c1 = 12'd2913; end
            3'd2:    begin c0 = 16'd26214; c1 = 12'd2383; end
            3'd3:    begin c0 = 16'd23831; c1 = 12'd1986; end
            3'd4:    begin c0 = 16'd21845; c1 = 12'd1680; end
            3'd5:    begin c0 = 16'd20165; c1 = 12'd1440; end
            3'd6:    begin c0 = 16'd18725; c1 = 12'd1249; end
            default: begin c0 = 16'd17476; c1 = 12'd1092; end
        endcase
    end

    wire [23:0] c1t = c1 * t;
    assign r = c0 - {4'd0, c1t[23:12]};

    wire unused_bits = &{1'b0, d_up[34:16], d_dn[19:16], dn[15], c1t[11:0]};
endmodule
