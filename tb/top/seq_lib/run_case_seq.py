"""A case file through the top, the way `make run-case` drives it
(tools/run_case_rtl.py): the GEMM is padded to the tile grid (M to a
multiple of LANES for the element-wise out_modes, N to a multiple of
ACC_DEPTH; padded rows and columns are computed and dropped) and split into
chunks over M and N that fit the buffers (M chunks are multiples of LANES,
or of Vo for the VSQ out_modes; a softmax column is never split). Each chunk
loads what changed (A with its g/bias rows, B) into the bank the previous
chunk does not read, while it computes, and is pushed into the descriptor
queue; every chunk's result frame is decoded by TUSER into the output
arrays. The outputs (keys of architecture.md for the out_mode, plus
`cycles`: from the first push to the last result word, the overlapped
loads included) are written with models.case.save_outputs. Expected
values are not computed here: the runner compares with models/."""

import numpy as np
from cocotb.triggers import ClockCycles
from cocotb.utils import get_sim_time

from models.case import save_outputs
from models.contract import OUT_KEYS, vo_of
from models.contract import chunks as plan  # (Mp, Np, m_chunks, n_chunks) of a case for these params
from tb.common.clock_reset import steps_to_cycles
from tb.top.layout import case_loads, decode_frame, expected_sideband
from tb.top.seq_lib.base_seq import TopBaseSeq

DTYPES = {"acc": np.int32, "out_q": np.int8, "out_s": np.uint8, "probs": np.uint8}


class ChunkedCaseSeq(TopBaseSeq):
    """Runs one case of any size through the top in chunks that fit the buffers,
    overlapped as a driver runs them (docs/overlap-design.md): each chunk's
    reloaded operands go into the other bank while the previous chunk
    computes, and every chunk is pushed into the descriptor queue."""

    bank = None  # {operand: bank it is in}, kept across cases (a resident operand stays in its bank)

    async def run_chunks(self, case, name, publish=False, bp=lambda: "none"):
        """The case padded to the tile grid and split by ``plan``; each chunk
        loads what changed into the other bank and is pushed into the queue
        (published to the scoreboard if ``publish``), the whole case under the
        back-pressure ``bp()``; then every chunk's frame, in order, is decoded
        into the outputs. Returns ({key of OUT_KEYS: int64 array of the case's
        shape}, cycles from the first push to the last result word)."""
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
        if self.bank is None:
            self.bank = {"A": 1, "B": 1, "T": 1}  # flipped before a load: bank 0 first
        done0, err0 = int(await self.regs.read("DONE_COUNT")), int(await self.regs.read("ERR_COUNT"))
        pattern = bp()
        self.backpressure(pattern)
        self.sequencer.frames.flush()
        chunks, first_push, budget = [], None, 0
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
                    self.bank["A"] ^= 1
                    self.bank["T"] ^= 1
                if loaded_n != n0:
                    frames.append((1, loads[1]))
                    self.bank["B"] ^= 1
                job = self.job_for(sub, f"{name} m{m0}:{m1} n{n0}:{n1}")
                job.backpressure = pattern
                if frames:  # waits while the previous chunk but one still reads the bank
                    await self.write_banks("LOAD_BANK", self.bank)
                    words = sum(len(w) for _, w in frames)
                    await self.loader.load(frames, timeout_cycles=20 * words + 2000 + budget)
                loaded_m, loaded_n = m0, n0
                await self.configure(job)
                await self.write_banks("RUN_BANK", self.bank)
                await self.push_descriptor()
                first_push = first_push if first_push is not None else get_sim_time("step")
                chunks.append((job, m0, m1, n0, n1))
                budget += self.timeout(job)
        for _ in range(budget // 64 + 1):
            if self.sequencer.frames.used() >= len(chunks):
                break
            await ClockCycles(self.clk, 64)
        self.backpressure("none")
        done, errors = int(await self.regs.read("DONE_COUNT")) - done0, int(await self.regs.read("ERR_COUNT")) - err0
        if done != len(chunks) or errors or self.sequencer.frames.used() != len(chunks):
            raise RuntimeError(f"{name}: {done} of {len(chunks)} chunks done, {errors} error(s), "
                               f"{self.sequencer.frames.used()} result frame(s)")
        await self.ack_irq()
        last_end = first_push
        for job, m0, m1, n0, n1 in chunks:
            frame = self.frame()
            last_end = frame.t_end
            if publish:
                self.publish(job)
            want = expected_sideband(out_mode, job.m, job.n, self.params)
            if len(frame.words) != len(want):
                raise RuntimeError(f"{job}: {len(frame.words)} result words, expected {len(want)}")
            got = decode_frame(out_mode, frame, job.m, job.n, self.params)
            if got["pad"].any():
                raise RuntimeError(f"{job}: a padding field of the result words is not 0")
            for key, arr in outputs.items():
                r = vo if key == "out_s" else 1
                arr[m0 // r:m1 // r, n0:n1] = got[key]
        cycles = steps_to_cycles(last_end - first_push)
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
