// vsq_sm_exp2: Softermax power of two (numerics.md §6),
//   u = POW2[e & 3] >> (e >> 2),  POW2 = round(2^15 * 2^(-f/4)), Q1.15,
// for a non-negative exponent e in quarter units (0..511). The result is 0
// once e >> 2 >= 16. Combinational; pass 1 uses one per lane, pass 2 one per
// output element (there e = 4*Mx - x folds the renormalization shift in).
module vsq_sm_exp2 (
    input  wire [8:0]  e,
    output wire [15:0] u
);
    reg [15:0] p;
    always @* begin
        case (e[1:0])
            2'd0:    p = 16'd32768;
            2'd1:    p = 16'd27554;
            2'd2:    p = 16'd23170;
            default: p = 16'd19484;
        endcase
    end
    assign u = p >> e[8:2];
endmodule
