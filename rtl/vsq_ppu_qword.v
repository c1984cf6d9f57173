// vsq_ppu_qword: the PPU's stage Q datapath (numerics.md §5), combinational:
// a column group's Vo values y and scale s -> one output word in the operand
// word layout (numerics.md §1): r = (2^17+s)//(2s) (vsq_recip), q per element
// (vsq_ppu_quant), VEC int4 or VEC/2 int8 elements, s at [VEC*4+7:VEC*4] in
// the per-vector modes (0 otherwise).
module vsq_ppu_qword #(
    parameter VEC = 64
) (
    input  wire [VEC*18-1:0]  y,
    input  wire [7:0]         s,
    input  wire               vsq,
    input  wire               is8,
    output wire [VEC*4+7:0]   word
);
    wire [16:0] r;
    vsq_recip u_recip (.s(s), .r(r));

    wire [VEC*4-1:0] data4;
    wire [VEC*4-1:0] data8;
    genvar gl;
    generate
        for (gl = 0; gl < VEC; gl = gl + 1) begin : g_q
            wire [7:0] q;
            vsq_ppu_quant u_q (.y(y[18*gl +: 18]), .r(r), .vsq(vsq), .is8(is8), .q(q));
            assign data4[4*gl +: 4] = q[3:0];
            if (gl < VEC / 2) begin : g_8
                assign data8[8*gl +: 8] = q;
            end else begin : g_4only
                wire unused_hi = &{1'b0, q[7:4]};
            end
        end
    endgenerate
    assign word = {vsq ? s : 8'd0, is8 ? data8 : data4};
endmodule
