"""The real MiniLM layer-0 case files (regressions/data, issue 8) through the
top, as a host runs them:
1. scores: the QKᵀ case of head 5, out_mode softmax -> P;
2. context: the P·V case, whose B load is the result words of step 1,
   placed by their TUSER only (as TopAttentionSeq does): the RTL's own P, so
   the chain is real. P decoded from step 1 must also equal the B operand the
   P·V case file was written with (the model's P of the scores case);
3. the second FFN GEMM, too big for the A buffer: split into chunks over M
   by run_case_seq.ChunkedCaseSeq, as `make run-case` does; B is loaded once.
Every GEMM (each chunk) is published to the scoreboard, which checks it
element by element against models.case.run_case of its case; the chunks'
outputs put together are compared with run_case of the whole case file too,
so the split itself is checked. The cases are data, not random: the seed
only picks the result-stream back-pressure of each GEMM."""

import numpy as np

from models.case import load_case
from models.numerics import vec_len
from tb.common.testbench import REPO
from tb.top.layout import case_loads, decode_frame, split_tuser
from tb.top.seq_lib.run_case_seq import ChunkedCaseSeq

DATA = REPO / "regressions" / "data"
SCORES, CONTEXT, FFN = "minilm_l0_h5_scores.npz", "minilm_l0_h5_pv.npz", "minilm_l0_ffn2.npz"


def load_cases():
    """{file name: validated case} of the three case files."""
    return {name: load_case(DATA / name) for name in (SCORES, CONTEXT, FFN)}


class TopRealDataSeq(ChunkedCaseSeq):
    async def body(self):
        cases = self.knobs["cases"]
        frame = await self.scores(cases[SCORES], cases[CONTEXT])
        await self.context(cases[CONTEXT], frame)
        await self.chunked(FFN, cases[FFN])

    def bp(self):
        return self.choice(("none", "random"))

    async def scores(self, scores, context):
        job = self.job_for(scores, "attention_scores")
        self.sequencer.logger.info(f"{SCORES}: {job}")
        await self.run(job, bp=self.bp())
        frame = self.frame()
        probs = decode_frame("softmax", frame, job.m, job.n, self.params)["probs"]
        # The scoreboard compares P with the model; this ties it to the next case file.
        self.expect_same(f"{SCORES}: RTL P = B operand of {CONTEXT}", context["b_q"].astype(np.int64), probs)
        return frame

    async def context(self, context, frame):
        job = self.job_for(context, "attention_context")
        self.sequencer.logger.info(f"{CONTEXT}: {job}, B = the result words of {SCORES}")
        V = vec_len(context["mode"], self.vec)
        kv = job.k // V
        b_words = [None] * (job.n * kv)
        for word, tuser in zip(frame.words, frame.tuser):
            row, n = split_tuser(tuser)
            b_words[n * kv + row // V] = word
        assert None not in b_words, f"the softmax frame of {SCORES} does not cover the B operand of {CONTEXT}"
        loads = case_loads(context, self.lanes)
        await self.loader.load([(0, loads[0]), (1, b_words), (2, loads[2])], timeout_cycles=50000)
        await self.run(job, load=False, bp=self.bp())
        self.frame()  # checked by the scoreboard

    async def chunked(self, name, case):
        # Each chunk is checked by the scoreboard against run_case of the
        # chunk, and the chunks put together against run_case of the case.
        got, _ = await self.run_chunks(case, name, publish=True, bp=self.bp)
        self.publish_outputs(name, case, got)
