"""Chained attention, as a host would run one head:
1. scores: A = K_h [keys, d], B = Q_h^T [d, queries], out_mode = softmax
   -> probabilities P [keys, queries] (Q1.7, int8 words along keys);
2. context: A = V_h^T [d_v, keys], B = P, mode int8, out_mode random
   (int8, int4_vsq, int8_vsq, acc).
The result words of step 1 are fed back as the B load of step 2 unchanged,
each placed by its own TUSER (column n, first row g·VEC/2 -> B word n·(K/V) + g).
Expected values: models/ on the model's own P (the scoreboard checks both
GEMMs), so a wrong P shows up in step 1 and in step 2."""

import numpy as np

from models.case import run_case

from tb.top.layout import case_loads, split_tuser
from tb.top.seq_lib.base_seq import TopBaseSeq

CONTEXT_OUT = ("int8", "int4_vsq", "int8_vsq", "acc", "int4")


class TopAttentionSeq(TopBaseSeq):
    async def body(self):
        for head in range(int(self.knobs.get("heads", 2))):
            await self.head(head)

    def dims(self, context_out):
        """(keys, d, queries, d_v): keys a multiple of VEC/2 (the context's V)
        and of LANES, d_v a multiple of the context out_mode's M unit,
        everything within the buffers."""
        wv = self.vec // 2
        for _ in range(100):
            keys = wv * self.randint(1, max(1, min(4, self.a_depth * self.lanes // wv // 4)))
            d = self.vec * self.randint(1, 2)  # scores in int4(_vsq): V = VEC; int8: two steps or four
            queries = self.ad * self.randint(1, 4)
            d_v = self.m_unit(context_out) * self.randint(1, 2)
            kv1, kv2 = d // self.vec, keys // wv
            fits = ((keys // self.lanes) * kv1 <= self.a_depth and queries * kv1 <= self.b_depth
                    and (d_v // self.lanes) * kv2 <= self.a_depth and queries * kv2 <= self.b_depth)
            if fits:
                return keys, d, queries, d_v
        raise RuntimeError("no attention shape fits the buffers")

    async def head(self, head):
        context_out = self.choice(CONTEXT_OUT)
        keys, d, queries, d_v = self.dims(context_out)
        scores = self.make_case(keys, queries, d, self.choice(("int4_vsq", "int4", "int8")), "softmax")
        job1 = self.job_for(scores, "attention_scores")
        await self.run(job1, bp=self.choice(("none", "random")))
        frame = self.frame()

        probs = run_case(scores)["probs"]  # the model's P, for the expected values of step 2
        context = self.make_case(d_v, queries, keys, "int8", context_out)
        context["b_q"] = probs.astype(np.int8)
        context["b_s"] = np.zeros_like(context["b_s"])
        job2 = self.job_for(context, "attention_context")

        # B of step 2 = the words of step 1, reordered by their TUSER only.
        kv = keys // (self.vec // 2)
        b_words = [None] * (queries * kv)
        for word, tuser in zip(frame.words, frame.tuser):
            row, n = split_tuser(tuser)
            b_words[n * kv + row // (self.vec // 2)] = word
        assert None not in b_words, "the softmax frame does not cover P"
        loads = case_loads(context, self.lanes)
        await self.loader.load([(0, loads[0]), (1, b_words), (2, loads[2])], timeout_cycles=50000)
        await self.run(job2, load=False, bp=self.choice(("none", "random")))
