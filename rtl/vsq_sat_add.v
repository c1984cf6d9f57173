// vsq_sat_add: acc_out = sat(acc_in + d) to ACC_W bits signed (numerics.md §2:
// acc <- sat24(acc + d)). Combinational; shared by the lane and the engine's
// accumulation collector so that both saturate identically.
module vsq_sat_add #(
    parameter ACC_W = 24,
    parameter D_W   = 21
) (
    input  wire signed [ACC_W-1:0] acc_in,
    input  wire signed [D_W-1:0]   d,
    output wire signed [ACC_W-1:0] acc_out,
    output wire                    sat_pos,  // the sum was clipped at +2^(ACC_W-1)-1
    output wire                    sat_neg   // the sum was clipped at -2^(ACC_W-1)
);
    // D_W < ACC_W, so one extra bit holds the exact sum.
    wire signed [ACC_W:0] sum = {acc_in[ACC_W-1], acc_in} + {{(ACC_W+1-D_W){d[D_W-1]}}, d};
    assign sat_pos = (sum[ACC_W:ACC_W-1] == 2'b01);
    assign sat_neg = (sum[ACC_W:ACC_W-1] == 2'b10);
    assign acc_out = sat_pos ? {1'b0, {(ACC_W-1){1'b1}}}
                   : sat_neg ? {1'b1, {(ACC_W-1){1'b0}}}
                   : sum[ACC_W-1:0];
endmodule
