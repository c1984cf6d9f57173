// vsq_top_queue: the GEMM descriptor queue of the accelerator top
// (docs/rtl-top.md "Descriptor queue", docs/overlap-design.md).
//
// DEPTH entries of W bits, first in first out; entry 0 is the head. A push
// when full is ignored, even in the cycle of a pop (the caller refuses it:
// QUEUE_FULL); a pop when empty is ignored. Push and pop may happen in the
// same cycle. Bits [2:0] of an entry are the banks the GEMM reads ({table, B, A}); `uses` tells which
// banks the waiting entries read ({table, B, A} x {bank 1, bank 0}), so that
// no load overwrites what a queued GEMM will read.
module vsq_top_queue #(
    parameter DEPTH = 2,
    parameter W     = 62,
    parameter CNT_W = $clog2(DEPTH + 1)
) (
    input  wire             clk,
    input  wire             rst_n,     // synchronous, active low
    input  wire             clear,     // soft reset: empty
    input  wire             push,
    input  wire [W-1:0]     din,
    input  wire             pop,
    output wire             valid,     // the head holds a descriptor
    output wire [W-1:0]     head,
    output reg  [CNT_W-1:0] count,
    output wire             full,
    output reg  [5:0]       uses
);
    localparam [CNT_W-1:0] FULL_CNT = DEPTH;

    generate
        if (DEPTH < 1 || W < 3) begin : g_bad
            PARAMETER_ERROR_vsq_top_queue_DEPTH_must_be_1_or_more u_param_error ();
        end
    endgenerate

    reg [W-1:0] ent [0:DEPTH-1];
    assign valid = (count != {CNT_W{1'b0}});
    assign full  = (count == FULL_CNT);
    assign head  = ent[0];

    wire do_pop  = pop && valid;
    wire do_push = push && !full;                                 // full: refused, even with a pop
    wire [CNT_W-1:0] after_pop = do_pop ? count - 1'b1 : count;   // entries left after the pop

    integer i;
    always @(posedge clk) begin
        if (!rst_n || clear) begin
            count <= {CNT_W{1'b0}};
        end else begin
            count <= after_pop + {{(CNT_W-1){1'b0}}, do_push};
        end
        // Entries shift towards the head on a pop; a push lands behind the last one left.
        for (i = 0; i < DEPTH; i = i + 1) begin
            if (do_pop && i + 1 < DEPTH)
                ent[i] <= ent[i + 1];
            if (do_push && after_pop == i[CNT_W-1:0])
                ent[i] <= din;
        end
    end

    // Banks read by the waiting entries.
    always @* begin
        uses = 6'd0;
        for (i = 0; i < DEPTH; i = i + 1) begin
            if (i[CNT_W-1:0] < count) begin
                uses[{2'b00, ent[i][0]}] = 1'b1;
                uses[{2'b01, ent[i][1]}] = 1'b1;
                uses[{2'b10, ent[i][2]}] = 1'b1;
            end
        end
    end

`ifdef VSQ_ASSERT
    // Invariants (formal/README.md), sampled at the clock edge.
    reg a_live;
    initial a_live = 1'b0;
    always @(posedge clk) begin
        if (!rst_n) a_live <= 1'b1;
        if (a_live && rst_n)
            assert(count <= FULL_CNT);                 // never more entries than DEPTH
    end
`endif
endmodule
