"""Register reset values: after aresetn every register of rdl/vsq_top.rdl
reads its reset value (parameters filled in) with OKAY, irq is low, the load
stream is ready and the result stream idle. Then a GEMM runs (so that status,
counters and load counts move), aresetn is pulsed, and every register is
back at its reset value. Also: the register tables of docs/rtl-top.md are
the ones generated from rdl/vsq_top.rdl."""

from tb.common.clock_reset import reset
from tb.common.testbench import REPO
from tb.top.seq_lib.base_seq import TopBaseSeq
from tools.ip.docs import markdown


class TopCsrResetSeq(TopBaseSeq):
    async def body(self):
        doc = (REPO / "docs" / "rtl-top.md").read_text()
        self.expect_same("docs/rtl-top.md shows the register tables generated from rdl/vsq_top.rdl "
                         "(python -m tools.ip.docs)", True, markdown() in doc)
        await self.expect_reset_values("after the first reset")
        mode, out_mode = self.random_modes()
        M, N, K = self.random_shape(mode, out_mode, max_steps=64)
        await self.run(self.job_for(self.make_case(M, N, K, mode, out_mode), "before reset"))
        await self.regs.write("IRQ_ENABLE", 0)
        await reset(self.clk, self.dut.aresetn)
        self.reset_event("hard", "idle")
        await self.expect_reset_values("after a second reset")
