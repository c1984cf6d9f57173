// vsq_engine_lane: one lane of the GEMM engine (JSSC'23 Fig. 6) — the lane's
// A register, its vector MAC (vsq_dot, the verified per-step contribution of
// vsq_lane) and its column of the accumulation collector, which replaces the
// single accumulator of vsq_lane by 2 x ACC_DEPTH entries (two ping-pong
// banks of ACC_DEPTH) updated with the same vsq_sat_add.
//
// Pipeline (stage names as in vsq_engine):
//   S1: a_load  -> a_reg <= a_word (the A bank's read data)
//   S2: d = vsq_dot(a_reg, b_word) -> d_r   (b_word is the engine's B register)
//   S3: coll[s3_idx] <= sat24((s3_first ? 0 : coll[s3_idx]) + d_r)
// The collector read port (rd_idx -> rd_acc) is combinational; the engine
// never reads an entry in the cycle that S3 writes it.
module vsq_engine_lane #(
    parameter VEC       = 64,
    parameter ACC_DEPTH = 16,
    // Collector index {bank, entry}; not meant to be overridden.
    parameter IW        = $clog2(2 * ACC_DEPTH)
) (
    input  wire               clk,
    input  wire [1:0]         mode,
    // S1
    input  wire               a_load,
    input  wire [VEC*4+7:0]   a_word,
    // S2
    input  wire               s2_valid,
    input  wire [VEC*4+7:0]   b_word,
    // S3
    input  wire               s3_valid,
    input  wire               s3_first,
    input  wire [IW-1:0]      s3_idx,
    // collector read port (drain)
    input  wire [IW-1:0]      rd_idx,
    output wire [23:0]        rd_acc,
    // S3 step clipped (valid-gated, combinational)
    output wire               sat_pos,
    output wire               sat_neg
);
    localparam D_W = $clog2(VEC) + 15;
    localparam NE  = 2 * ACC_DEPTH;

    reg         [VEC*4+7:0] a_reg;
    reg  signed [D_W-1:0]   d_r;
    reg  signed [23:0]      coll [0:NE-1];

    wire signed [D_W-1:0]   d;
    wire signed [23:0]      acc_in = s3_first ? 24'sd0 : coll[s3_idx];
    wire signed [23:0]      acc_next;
    wire                    clip_pos, clip_neg;

    vsq_dot #(.VEC(VEC), .D_W(D_W)) u_dot (
        .mode(mode),
        .a(a_reg[VEC*4-1:0]),  .sa(a_reg[VEC*4+7:VEC*4]),
        .b(b_word[VEC*4-1:0]), .sb(b_word[VEC*4+7:VEC*4]),
        .d(d)
    );

    vsq_sat_add #(.ACC_W(24), .D_W(D_W)) u_add (
        .acc_in(acc_in), .d(d_r),
        .acc_out(acc_next), .sat_pos(clip_pos), .sat_neg(clip_neg)
    );

    always @(posedge clk) begin
        if (a_load)
            a_reg <= a_word;
        if (s2_valid)
            d_r <= d;
        if (s3_valid)
            coll[s3_idx] <= acc_next;
    end

    assign rd_acc  = coll[rd_idx];
    assign sat_pos = s3_valid & clip_pos;
    assign sat_neg = s3_valid & clip_neg;
endmodule
