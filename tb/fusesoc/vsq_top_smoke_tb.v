// vsq_top_smoke_tb: the FuseSoC core's self-checking smoke run of vsq_top
// (targets sim_icarus and sim_verilator). It needs no Python: over AXI4-Lite
// it reads ID and VERSION (expected values from the generated
// rdl/vsq_top_map.vh), the P_* read-back registers (expected: this
// testbench's parameters, passed to the top), writes M and reads it back,
// and reads an unmapped address (SLVERR). The full verification is the
// cocotb/pyuvm environment (tb/top, `make sim`).
// Prints "SMOKE PASS" or "SMOKE FAIL: n errors" and ends with $finish
// (a failure with $fatal, so the simulator's exit code is non-zero).
`timescale 1ns / 1ps
module vsq_top_smoke_tb #(
    parameter LANES     = 16,
    parameter VEC       = 64,
    parameter ACC_DEPTH = 16,
    parameter A_DEPTH   = 128,
    parameter B_DEPTH   = 2048,
    parameter OUT_DEPTH = 512
);
`include "vsq_top_map.vh"
    reg         aclk = 1'b0;
    reg         aresetn = 1'b0;
    reg  [11:0] awaddr = 12'd0, araddr = 12'd0;
    reg         awvalid = 1'b0, wvalid = 1'b0, bready = 1'b0, arvalid = 1'b0, rready = 1'b0;
    reg  [31:0] wdata = 32'd0;
    wire        awready, wready, bvalid, arready, rvalid;
    wire [1:0]  bresp, rresp;
    wire [31:0] rdata;
    wire [VEC*4+7:0] m_tdata;
    wire        s_tready, m_tvalid, m_tlast, irq;
    wire [31:0] m_tuser;
    integer     errors = 0;

    always #5 aclk = ~aclk;

    vsq_top #(
        .LANES(LANES), .VEC(VEC), .ACC_DEPTH(ACC_DEPTH), .A_DEPTH(A_DEPTH), .B_DEPTH(B_DEPTH),
        .OUT_DEPTH(OUT_DEPTH)
    ) dut (
        .aclk(aclk), .aresetn(aresetn),
        .s_axil_awaddr(awaddr), .s_axil_awvalid(awvalid), .s_axil_awready(awready),
        .s_axil_wdata(wdata), .s_axil_wstrb(4'hF), .s_axil_wvalid(wvalid), .s_axil_wready(wready),
        .s_axil_bresp(bresp), .s_axil_bvalid(bvalid), .s_axil_bready(bready),
        .s_axil_araddr(araddr), .s_axil_arvalid(arvalid), .s_axil_arready(arready),
        .s_axil_rdata(rdata), .s_axil_rresp(rresp), .s_axil_rvalid(rvalid), .s_axil_rready(rready),
        .s_axis_tdata({(VEC*4+8){1'b0}}), .s_axis_tvalid(1'b0), .s_axis_tready(s_tready),
        .s_axis_tlast(1'b0), .s_axis_tdest(2'd0),
        .m_axis_tdata(m_tdata), .m_axis_tvalid(m_tvalid), .m_axis_tready(1'b1),
        .m_axis_tlast(m_tlast), .m_axis_tuser(m_tuser), .irq(irq)
    );

    task axil_read(input [11:0] addr, output [31:0] data, output [1:0] resp);
        begin
            @(negedge aclk);
            araddr = addr; arvalid = 1'b1; rready = 1'b1;
            @(posedge aclk);
            while (!arready) @(posedge aclk);
            @(negedge aclk);
            arvalid = 1'b0;
            while (!rvalid) @(negedge aclk);
            data = rdata; resp = rresp;
            @(posedge aclk);
            @(negedge aclk);
            rready = 1'b0;
        end
    endtask

    task axil_write(input [11:0] addr, input [31:0] data, output [1:0] resp);
        begin
            @(negedge aclk);
            awaddr = addr; awvalid = 1'b1; wdata = data; wvalid = 1'b1; bready = 1'b1;
            @(posedge aclk);
            while (!(awready && wready)) @(posedge aclk);
            @(negedge aclk);
            awvalid = 1'b0; wvalid = 1'b0;
            while (!bvalid) @(negedge aclk);
            resp = bresp;
            @(posedge aclk);
            @(negedge aclk);
            bready = 1'b0;
        end
    endtask

    task expect_read(input [11:0] addr, input [31:0] value, input [1:0] resp_want);
        reg [31:0] data;
        reg [1:0]  resp;
        begin
            axil_read(addr, data, resp);
            if (data !== value || resp !== resp_want) begin
                $display("SMOKE mismatch at 0x%03h: read 0x%08h resp %0d, expected 0x%08h resp %0d",
                         addr, data, resp, value, resp_want);
                errors = errors + 1;
            end
        end
    endtask

    reg [1:0] wresp;
    initial begin
        repeat (4) @(posedge aclk);
        aresetn = 1'b1;
        repeat (2) @(posedge aclk);
        expect_read(VSQ_ID, VSQ_ID_RESET, 2'd0);
        expect_read(VSQ_VERSION, VSQ_VERSION_RESET, 2'd0);
        expect_read(VSQ_P_LANES, LANES, 2'd0);
        expect_read(VSQ_P_VEC, VEC, 2'd0);
        expect_read(VSQ_P_ACC_DEPTH, ACC_DEPTH, 2'd0);
        expect_read(VSQ_P_A_DEPTH, A_DEPTH, 2'd0);
        expect_read(VSQ_P_B_DEPTH, B_DEPTH, 2'd0);
        expect_read(VSQ_P_OUT_DEPTH, OUT_DEPTH, 2'd0);
        expect_read(VSQ_IRQ_ENABLE, VSQ_IRQ_ENABLE_RESET, 2'd0);
        axil_write(VSQ_M, LANES, wresp);
        if (wresp !== 2'd0) begin
            $display("SMOKE write of M answered %0d", wresp);
            errors = errors + 1;
        end
        expect_read(VSQ_M, LANES, 2'd0);
        axil_write(VSQ_ID, 32'd0, wresp);
        if (wresp !== VSQ_RO_WRITE_RESP) begin
            $display("SMOKE write of ID answered %0d, expected %0d", wresp, VSQ_RO_WRITE_RESP);
            errors = errors + 1;
        end
        expect_read(12'hFFC, VSQ_UNMAPPED_RDATA, VSQ_UNMAPPED_RESP);
        if (errors == 0) begin
            $display("SMOKE PASS");
            $finish;
        end else begin
            $display("SMOKE FAIL: %0d errors", errors);
            $fatal(1, "smoke test failed");
        end
    end

    initial begin
        #100000;
        $fatal(1, "SMOKE FAIL: timeout");
    end

    wire unused = &{1'b0, m_tdata, s_tready, m_tvalid, m_tlast, irq, m_tuser};
endmodule
