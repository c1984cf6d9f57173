// vsq_ram: generic simple dual-port RAM, one write port and one read port,
// one clock, synchronous read (1-cycle latency).
//
// - Write: mem[waddr] <= wdata at the rising edge when we = 1.
// - Read:  rdata <= mem[raddr] at the rising edge when re = 1; rdata holds its
//   value while re = 0 (the engine relies on this only within one cycle).
// - Read and write of the same address in the same cycle return the OLD word
//   (read-first), as most SRAM macros configured for 1R1W do.
// - No reset: the contents and rdata are undefined until written/read.
// DEPTH need not be a power of two; addresses >= DEPTH are the caller's bug.
module vsq_ram #(
    parameter WIDTH = 8,
    parameter DEPTH = 16,
    parameter AW    = (DEPTH > 1) ? $clog2(DEPTH) : 1
) (
    input  wire             clk,
    input  wire             we,
    input  wire [AW-1:0]    waddr,
    input  wire [WIDTH-1:0] wdata,
    input  wire             re,
    input  wire [AW-1:0]    raddr,
    output reg  [WIDTH-1:0] rdata
);
    reg [WIDTH-1:0] mem [0:DEPTH-1];

    always @(posedge clk) begin
        if (we)
            mem[waddr] <= wdata;
        if (re)
            rdata <= mem[raddr];
    end
endmodule
