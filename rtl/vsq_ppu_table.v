// vsq_ppu_table: the PPU's per-row g/bias tables (docs/rtl-ppu.md): LANES
// banks of PPU_ROWS/LANES entries, row m in bank m % LANES at m / LANES. One
// row written per cycle (we; rows >= PPU_ROWS are ignored); rd reads the
// entries of m-tile rd_mt of every bank, registered: q[32*l +: 32] =
// {g, bias} of row rd_mt*LANES+l from the cycle after rd on. With BANKS = 2
// the table is held twice: wsel picks the copy written, rsel the copy read.
module vsq_ppu_table #(
    parameter LANES    = 16,
    parameter PPU_ROWS = 2048,
    parameter BANKS    = 1
) (
    input  wire                clk,
    input  wire                we,
    input  wire [15:0]         row,
    input  wire [15:0]         g,       // uint16
    input  wire [15:0]         bias,    // int16
    input  wire                wsel,    // copy written (ignored when BANKS = 1)
    input  wire                rsel,    // copy read
    input  wire                rd,
    input  wire [15:0]         rd_mt,
    output reg  [LANES*32-1:0] q
);
    localparam TD  = PPU_ROWS / LANES;       // entries per bank
    localparam TAW = (TD > 1) ? $clog2(TD) : 1;
    localparam PTW = (TD * BANKS > 1) ? $clog2(TD * BANKS) : 1;   // entry address over the copies
    localparam [31:0] TOFF = (BANKS > 1) ? TD : 0;
    localparam [15:0] LANES16 = LANES[15:0];
    localparam [16:0] ROWS17  = PPU_ROWS[16:0];

    wire [15:0] bank = row % LANES16;
    wire [15:0] idx  = row / LANES16;
    wire        in   = ({1'b0, row} < ROWS17);      // rows past the table are ignored
    wire [31:0] widx = {{(32-TAW){1'b0}}, idx[TAW-1:0]} + (wsel ? TOFF : 32'd0);
    wire [31:0] ridx = {{(32-TAW){1'b0}}, rd_mt[TAW-1:0]} + (rsel ? TOFF : 32'd0);

    genvar gl;
    generate
        for (gl = 0; gl < LANES; gl = gl + 1) begin : g_tbl
            localparam [15:0] BANK = gl;
            reg [31:0] mem [0:TD*BANKS-1];
            always @(posedge clk) begin
                if (we && in && bank == BANK)
                    mem[widx[PTW-1:0]] <= {g, bias};
                if (rd)
                    q[32*gl +: 32] <= mem[ridx[PTW-1:0]];
            end
        end
    endgenerate
    wire unused_hi = &{1'b0, idx[15:TAW], rd_mt[15:TAW], widx[31:PTW], ridx[31:PTW]};
endmodule
