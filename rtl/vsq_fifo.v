// vsq_fifo: small synchronous FIFO with a valid/ready read side, used as the
// output queue of the PPU and of the softmax unit. Registered outputs
// (out_data is the head entry, read from flops); `count` lets a producer with
// a pipeline in flight reserve room (credit) before it issues work.
// A push when full or a pop when empty is ignored (callers never do either).
module vsq_fifo #(
    parameter WIDTH = 8,
    parameter DEPTH = 4,
    parameter CNT_W = $clog2(DEPTH + 1)
) (
    input  wire             clk,
    input  wire             rst_n,     // synchronous, active low
    input  wire             clear,     // synchronous flush
    input  wire             in_valid,
    input  wire [WIDTH-1:0] in_data,
    output wire             out_valid,
    input  wire             out_ready,
    output wire [WIDTH-1:0] out_data,
    output reg  [CNT_W-1:0] count
);
    localparam PTR_W = (DEPTH > 1) ? $clog2(DEPTH) : 1;
    localparam [CNT_W-1:0] FULL_CNT = DEPTH;
    localparam integer     LAST_I   = DEPTH - 1;
    localparam [PTR_W-1:0] LAST_PTR = LAST_I[PTR_W-1:0];

    reg [WIDTH-1:0] mem [0:DEPTH-1];
    reg [PTR_W-1:0] rd_ptr, wr_ptr;

    wire full = (count == FULL_CNT);
    wire push = in_valid && !full;
    wire pop  = out_valid && out_ready;

    assign out_valid = (count != {CNT_W{1'b0}});
    assign out_data  = mem[rd_ptr];

    function [PTR_W-1:0] ptr_inc(input [PTR_W-1:0] p);
        begin
            if (p == LAST_PTR)
                ptr_inc = {PTR_W{1'b0}};
            else
                ptr_inc = p + 1'b1;
        end
    endfunction

    always @(posedge clk) begin
        if (push)
            mem[wr_ptr] <= in_data;
    end

    always @(posedge clk) begin
        if (!rst_n || clear) begin
            rd_ptr <= {PTR_W{1'b0}};
            wr_ptr <= {PTR_W{1'b0}};
            count  <= {CNT_W{1'b0}};
        end else begin
            if (push)
                wr_ptr <= ptr_inc(wr_ptr);
            if (pop)
                rd_ptr <= ptr_inc(rd_ptr);
            if (push && !pop)
                count <= count + 1'b1;
            else if (pop && !push)
                count <= count - 1'b1;
        end
    end

`ifdef VSQ_ASSERT
    // The callers never push when full (they reserve room by `count`).
    reg a_live;
    initial a_live = 1'b0;
    always @(posedge clk) begin
        if (!rst_n) a_live <= 1'b1;
        if (a_live && rst_n && !clear) begin
            assert(!(in_valid && full));
            assert(count <= FULL_CNT);
        end
    end
`endif
endmodule
