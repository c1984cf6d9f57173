"""ctypes binding of the model's fast stream functions (hdl/fast_stream.cpp),
linked into the simulator process that runs this Python (Verilator, -rdynamic).

AXI4-Lite accesses cross one at a time: queued, numbered, answered by number.
Words cross as little-endian 32-bit limbs, LIMBS per word; the stream
patterns cross in chunks of runs, pulled by the model through `refill` when
it runs out."""

import ctypes

import numpy as np

CHUNK = 256  # runs handed over per refill
REFILL = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int)
_P = ctypes.c_void_p


class FastStreamLib:
    _instance = None

    def __init__(self):
        try:
            lib = ctypes.CDLL(None)
            lib.vsq_fs_limbs
        except (OSError, AttributeError):
            raise RuntimeError("the fast stream path needs the topfast bench's Verilator model "
                               "(tb/topfast: vsq_top_fast with fast_stream.cpp); this simulator has no vsq_fs_*") from None
        for name, args, res in (
                ("vsq_fs_limbs", [], ctypes.c_int), ("vsq_fs_set_refill", [REFILL], None),
                ("vsq_fs_pattern", [ctypes.c_int, ctypes.c_int], None),
                ("vsq_fs_push_runs", [ctypes.c_int, _P, _P, ctypes.c_int], None),
                ("vsq_fs_src_push", [ctypes.c_int, _P, ctypes.c_int], ctypes.c_int),
                ("vsq_fs_src_clear", [], None),
                ("vsq_fs_cap_count", [], ctypes.c_int), ("vsq_fs_cap_len", [], ctypes.c_int),
                ("vsq_fs_cap_partial", [], ctypes.c_int),
                ("vsq_fs_cap_pop", [_P, _P, _P], None), ("vsq_fs_cap_flush", [], None),
                ("vsq_fs_axil_write", [ctypes.c_uint32] * 3, ctypes.c_int),
                ("vsq_fs_axil_read", [ctypes.c_uint32], ctypes.c_int),
                ("vsq_fs_axil_wresp", [ctypes.c_int], ctypes.c_int), ("vsq_fs_axil_rresp", [ctypes.c_int], ctypes.c_int),
                ("vsq_fs_axil_rdata", [ctypes.c_int], ctypes.c_uint32),
                ("vsq_fs_src_idle_cycles", [], ctypes.c_uint64), ("vsq_fs_snk_stall_cycles", [], ctypes.c_uint64)):
            fn = getattr(lib, name)
            fn.argtypes, fn.restype = args, res
        self.lib = lib
        self.limbs = lib.vsq_fs_limbs()
        self.bytes = 4 * self.limbs
        self.patterns = [None, None]  # run iterators: 0 load idle, 1 result TREADY
        self._refill = REFILL(self._pull)  # kept alive: the model holds the pointer
        lib.vsq_fs_set_refill(self._refill)

    @classmethod
    def get(cls):
        if cls._instance is None:
            cls._instance = cls()
        return cls._instance

    # ---------------------------------------------------------------- patterns
    def set_pattern(self, which, pattern):
        """Play `pattern` (runs (level, cycles); None: level 1 always) from the next cycle on.
        A pattern with `runs(n)` (tb.common.valid_ready.BackPressure) hands over
        its runs n at a time as arrays; any other iterable run by run."""
        self.patterns[which] = None if pattern is None else pattern if hasattr(pattern, "runs") else iter(pattern)
        self.lib.vsq_fs_pattern(which, pattern is not None)

    def _pull(self, which):
        """The model ran out of runs: the next CHUNK of the pattern."""
        runs = self.patterns[which]
        if runs is None:
            return 0
        if hasattr(runs, "runs"):
            lv, cy = runs.runs(CHUNK)
        else:
            levels, cycles = [], []
            for level, n in runs:
                levels.append(1 if level else 0)
                cycles.append(max(1, int(n)))
                if len(levels) == CHUNK:
                    break
            lv, cy = np.array(levels, np.uint8), np.array(cycles, np.uint32)
        lv, cy = np.ascontiguousarray(lv, np.uint8), np.ascontiguousarray(cy, np.uint32)
        if len(lv):
            self.lib.vsq_fs_push_runs(which, lv.ctypes.data, cy.ctypes.data, len(lv))
        return len(lv)

    # ---------------------------------------------------------------- load frames
    def push_frame(self, dest, words):
        """Queue one load frame; returns the done count that means it was sent."""
        nb = self.bytes
        buf = np.frombuffer(b"".join(int(w).to_bytes(nb, "little") for w in words), np.uint32)
        return self.lib.vsq_fs_src_push(int(dest), buf.ctypes.data, len(words))

    def clear_load(self):
        self.lib.vsq_fs_src_clear()

    # ---------------------------------------------------------------- result frames
    def frames(self):
        """The recorded complete frames, oldest first: (words, tuser, t_start, t_end)."""
        out, nb, lib = [], self.bytes, self.lib
        while lib.vsq_fs_cap_count():
            n = lib.vsq_fs_cap_len()
            data = np.empty(n * self.limbs, np.uint32)
            tuser = np.empty(n, np.uint32)
            times = np.empty(2, np.int64)
            lib.vsq_fs_cap_pop(data.ctypes.data, tuser.ctypes.data, times.ctypes.data)
            raw = data.tobytes()
            words = [int.from_bytes(raw[i * nb:(i + 1) * nb], "little") for i in range(n)]
            out.append((words, tuser.tolist(), int(times[0]), int(times[1])))
        return out

    def pattern_effect(self):
        """Cycles so far: (a load beat held back by the idle pattern, a result word waiting for TREADY)."""
        return int(self.lib.vsq_fs_src_idle_cycles()), int(self.lib.vsq_fs_snk_stall_cycles())

    def partial(self):
        """Beats of the result frame being recorded (0: none in flight)."""
        return self.lib.vsq_fs_cap_partial()

    def flush_partial(self):
        self.lib.vsq_fs_cap_flush()
