"""A case file through the top, the way `make run-case` drives it
(tools/run_case_rtl.py): the GEMM is padded to the tile grid (M to a
multiple of LANES for the element-wise out_modes, N to a multiple of
ACC_DEPTH; padded rows and columns are computed and dropped) and split into
chunks over M and N that fit the buffers (M chunks are multiples of LANES,
or of Vo for the VSQ out_modes; a softmax column is never split). Each chunk
loads what changed (A with its g/bias rows, B), starts, waits for the irq,
and its result frame is decoded by TUSER into the output arrays. The outputs
(keys of architecture.md for the out_mode, plus `cycles`: the sum of the
chunks' CYC_TOTAL) are written with models.case.save_outputs. Expected
values are not computed here: the runner compares with models/."""

import numpy as np

from models.case import save_outputs
from models.contract import OUT_KEYS, vo_of
from models.contract import chunks as plan  # (Mp, Np, m_chunks, n_chunks) of a case for these params
from tb.top.layout import case_loads, decode_frame, expected_sideband
from tb.top.seq_lib.base_seq import TopBaseSeq

DTYPES = {"acc": np.int32, "out_q": np.int8, "out_s": np.uint8, "probs": np.uint8}


class ChunkedCaseSeq(TopBaseSeq):
    """Runs one case of any size through the top in chunks that fit the buffers."""

    async def run_chunks(self, case, name, publish=False, bp=lambda: "none"):
        """The case padded to the tile grid and split by ``plan``; each chunk
        loads what changed, runs (published to the scoreboard if ``publish``,
        under the back-pressure ``bp()``), and its frame is decoded into the
        outputs. Returns ({key of OUT_KEYS: int64 array of the case's shape},
        the chunks' CYC_TOTAL summed)."""
        mode, out_mode, vec = case["mode"], case["out_mode"], self.vec
        M, K = case["a_q"].shape
        N = case["b_q"].shape[1]
        Mp, Np, m_chunks, n_chunks = plan(M, N, K, mode, out_mode, self.params)
        pad = {
            "a_q": np.zeros((Mp, K), np.int8), "a_s": np.zeros((Mp, case["a_s"].shape[1]), np.uint8),
            "g": np.zeros(Mp, np.uint16), "bias": np.zeros(Mp, np.int16),
            "b_q": np.zeros((K, Np), np.int8), "b_s": np.zeros((case["b_s"].shape[0], Np), np.uint8),
        }
        pad["a_q"][:M], pad["a_s"][:M], pad["g"][:M], pad["bias"][:M] = (case["a_q"], case["a_s"], case["g"],
                                                                         case["bias"])
        pad["b_q"][:, :N], pad["b_s"][:, :N] = case["b_q"], case["b_s"]
        vo = vo_of(out_mode, self.params)
        outputs = {key: np.zeros((Mp // vo if key == "out_s" else Mp, Np), np.int64) for key in OUT_KEYS[out_mode]}
        cycles = 0
        loaded_m = loaded_n = None
        for m0, m1 in m_chunks:
            for n0, n1 in n_chunks:
                sub = {**case, "a_q": pad["a_q"][m0:m1], "a_s": pad["a_s"][m0:m1],
                       "g": pad["g"][m0:m1], "bias": pad["bias"][m0:m1],
                       "b_q": pad["b_q"][:, n0:n1], "b_s": pad["b_s"][:, n0:n1]}
                loads = case_loads(sub, self.lanes)
                frames = []
                if loaded_m != m0:
                    frames += [(0, loads[0]), (2, loads[2])]
                if loaded_n != n0:
                    frames.append((1, loads[1]))
                words = sum(len(w) for _, w in frames)
                await self.loader.load(frames, timeout_cycles=20 * words + 2000)
                loaded_m, loaded_n = m0, n0
                job = self.job_for(sub, f"{name} m{m0}:{m1} n{n0}:{n1}")
                end = await self.run(job, load=False, bp=bp(), publish=publish)
                if not end.done or end.error:
                    raise RuntimeError(f"{job}: not done (STATUS DONE={end.done} ERROR={end.error} "
                                       f"ERR_CODE={end.err_code})")
                frame = self.frame()
                want = expected_sideband(out_mode, job.m, job.n, self.params)
                if len(frame.words) != len(want):
                    raise RuntimeError(f"{job}: {len(frame.words)} result words, expected {len(want)}")
                got = decode_frame(out_mode, frame, job.m, job.n, self.params)
                if got["pad"].any():
                    raise RuntimeError(f"{job}: a padding field of the result words is not 0")
                for key, arr in outputs.items():
                    r = vo if key == "out_s" else 1
                    arr[m0 // r:m1 // r, n0:n1] = got[key]
                cycles += end.cyc_total
        self.sequencer.logger.info(f"{name}: {len(m_chunks)} x {len(n_chunks)} chunk(s), {cycles} cycles")
        return {key: arr[:M // vo if key == "out_s" else M, :N] for key, arr in outputs.items()}, cycles


class TopRunCaseSeq(ChunkedCaseSeq):
    async def body(self):
        case, out_path = self.knobs["case"], self.knobs["out"]
        outputs, cycles = await self.run_chunks(case, "run-case")
        result = {key: arr.astype(DTYPES[key]) for key, arr in outputs.items()}
        result["cycles"] = np.int64(cycles)
        save_outputs(out_path, result)
        self.sequencer.logger.info(f"run-case: -> {out_path}")
