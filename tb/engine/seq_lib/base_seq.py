"""Base engine sequence (virtual): helpers that pick legal shapes, build
cases with models.casegen, load them through the buffer agent, set the
tile stream's back-pressure and start GEMMs through the control agent.
Subclasses write `body()`."""

import numpy as np
from pyuvm import uvm_sequence

from models.casegen import random_case
from models.contract import mac_steps
from models.numerics import vec_len
from tb.common.valid_ready import BackPressure
from tb.engine.coverage import kv_max
from tb.engine.layout import buffer_writes
from tb.engine.seq_item import BufferLoad, ClearReq, StartReq

SHAPE_KINDS = ("single", "kv1", "kvmax", "random")


class _ItemSeq(uvm_sequence):
    """Runs one item on whatever sequencer it is started on."""

    def __init__(self, name, item):
        super().__init__(name)
        self.item = item

    async def body(self):
        await self.start_item(self.item)
        await self.finish_item(self.item)


class EngineBaseSeq(uvm_sequence):
    def __init__(self, name, env, rng, params, **knobs):
        super().__init__(name)
        self.env, self.rng, self.params, self.knobs = env, rng, params, knobs
        self.lanes, self.vec, self.acc_depth = params["LANES"], params["VEC"], params["ACC_DEPTH"]
        self.a_depth, self.b_depth = params["A_DEPTH"], params["B_DEPTH"]
        # Default step budget per GEMM: scales with the configuration (1024 for
        # fast, 4096 for paper: two full tiles at the largest K/V).
        self.max_steps = int(knobs.get("max_steps", 32 * self.a_depth))

    # ---------------- items ----------------
    async def send(self, seqr, item):
        await _ItemSeq("item", item).start(seqr)
        return item

    async def load(self, case):
        a, b = buffer_writes(case, self.lanes)
        await self.send(self.env.buffer_agent.seqr, BufferLoad(a_writes=a, b_writes=b))

    async def start_gemm(self, M, N, K, mode, n_outer=0, **kw):
        """One start; returns the StartReq with the driver's observations."""
        kw.setdefault("timeout_cycles", self.timeout(M, N, K, mode))
        return await self.send(self.env.ctrl_agent.seqr, StartReq(m=M, n=N, k=K, mode=mode, n_outer=n_outer, **kw))

    async def clear(self):
        await self.send(self.env.ctrl_agent.seqr, ClearReq())

    async def run_case(self, case, n_outer=0, load=True, **kw):
        """Load a case (unless told not to) and run it; it must be accepted."""
        if load:
            await self.load(case)
        M, N, K = self.dims(case)
        req = await self.start_gemm(M, N, K, case["mode"], n_outer, **kw)
        assert req.accepted, f"legal GEMM M={M} N={N} K={K} {case['mode']} was not accepted (err_code {req.err_code})"
        return req

    def set_backpressure(self, kind, **kw):
        # The pattern draws while it plays: give it its own generator (seeded
        # from the stimulus stream now) so that the sequence's later draws do
        # not depend on how many runs the pattern has played by then.
        rng = np.random.default_rng(int(self.rng.integers(1 << 63)))
        self.env.tile_agent.driver.set_pattern(BackPressure(rng, kind, **kw))

    # ---------------- cases and shapes ----------------
    def make_case(self, M, N, K, mode, data="random"):
        return random_case(self.rng, M=M, N=N, K=K, mode=mode, out_mode="acc", vec=self.vec,
                           lanes=self.lanes, data=data, sh=0, relu=False)

    @staticmethod
    def dims(case):
        M, K = case["a_q"].shape
        return M, case["b_q"].shape[1], K

    def kv_max(self):
        return kv_max(self.params)

    def steps(self, M, N, K, mode):
        """MAC steps of a GEMM (mode: name or code; 0 for the unknown mode)."""
        return mac_steps(M, N, K, mode, self.params)

    def timeout(self, M, N, K, mode):
        """Generous: every beat may wait through a long back-pressure storm."""
        return 100 * (self.steps(M, N, K, mode) + M * N // self.lanes) + 5000

    def randint(self, lo, hi):
        """Uniform integer in [lo, hi]."""
        return int(self.rng.integers(lo, hi + 1))

    def shape(self, mode, kind="random", max_steps=None):
        """A legal (M, N, K) of a kind: 'single' (one tile), 'kv1' (K = V),
        'kvmax' (the largest K/V that fits), 'random'; at most max_steps steps
        (by shrinking the tile counts, never K)."""
        V = vec_len(mode, self.vec)
        kvm = self.kv_max()
        kv = {"kv1": 1, "kvmax": kvm}.get(kind) or self.randint(1, kvm)
        mt_cap, nt_cap = self.a_depth // kv, self.b_depth // (kv * self.acc_depth)
        if kind == "single":
            mt = nt = 1
        else:
            mt, nt = self.randint(1, mt_cap), self.randint(1, nt_cap)
        while max_steps and mt * nt * self.acc_depth * kv > max_steps and mt * nt > 1:
            if mt >= nt:
                mt = max(1, mt // 2)
            else:
                nt = max(1, nt // 2)
        return mt * self.lanes, nt * self.acc_depth, kv * V
