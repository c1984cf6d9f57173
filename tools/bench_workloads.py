"""Transformer GEMM workloads of `make bench` and how a driver tiles them
onto the top's buffers (issue 7, item 1). Pure Python, no simulator: the
utilization benchmark (tb/top/tests/top_util_bench.py) simulates the tile
classes planned here, and bench/top_utilization.py extrapolates by the
tile counts planned here.

Shapes, per model and sequence length S (numerics.md §3 mapping):
- `proj`: Q, K, V and output projections (4 per layer): A = W [H, H],
  B = X^T [H, S]: M = H, K = H, N = S;
- `fc1`: M = FFN, K = H, N = S; `fc2`: M = H, K = FFN, N = S;
- `qk` (per head): A = K_h [S keys, d], B = Q_h^T [d, S queries]: M = S,
  K = d, N = S, out_mode softmax (the softmax runs over M, the keys);
- `pv` (per head): A = V_h^T [d, S keys], B = P [S keys, S queries]: M = d,
  K = S, N = S; mode int8 (P is the softmax's Q1.7 output, an int8 B word).

Modes: the linear layers and QK^T run int4_vsq; P·V runs int8 (its B is
P). Output: softmax for QK^T; otherwise the first of int4_vsq, int8_vsq,
int8 whose row unit (lcm(LANES, Vo), LANES for int8) divides M and fits
the A banks at this K (BERT's FC2, K/V = 48, leaves 32 rows: int8_vsq).

Padding: every dimension is padded up to what the hardware needs (K to a
multiple of V, M to the out_mode's row unit, N to ACC_DEPTH). The padded
MACs run but are not useful work: `useful_fraction` = M·N·K / (padded
M·N·K). MiniLM's head dim 32 under V = 64 pads QK^T's K to 64 (half the
MACs useless).

Tiling (what a driver does): K is never split (the top has no partial-sum
input, so a split K would leave the bit-exact path), so a GEMM runs only if
K/V ≤ A_DEPTH / (M unit / LANES) and N·... fit; M and N are split into
balanced tiles that fit the A banks ((M_t/LANES)·(K/V) ≤ A_DEPTH), the B
buffer (N_t·(K/V) ≤ B_DEPTH) and, for softmax, one column (M_t = M ≤ 1024).
The loop order keeps one operand resident: M-outer keeps A (and its g/bias
rows) while B is reloaded per tile, N-outer keeps B while A and the table
are reloaded; the order with fewer words to load wins. An operand that does
not change between tiles is not reloaded. The g/bias table belongs to A's
rows: it is reloaded with A.
"""

from dataclasses import dataclass, field

from models.contract import MAX_L, m_unit, mac_steps, v_of

MODELS = {
    "bert_base": {"hidden": 768, "ffn": 3072, "heads": 12, "head_dim": 64, "layers": 12},
    "minilm_l6": {"hidden": 384, "ffn": 1536, "heads": 12, "head_dim": 32, "layers": 6},
}
SEQ_LENS = (128, 384)
KINDS = ("proj", "fc1", "fc2", "qk", "pv")


def _up(x, unit):
    return -(-x // unit) * unit


def _down(x, unit):
    return x // unit * unit


@dataclass(frozen=True)
class Tile:
    m: int
    n: int
    loads: tuple  # subset of ("A", "B", "T") reloaded before this tile, in load order

    @property
    def key(self):
        return f"{self.m}x{self.n}-{''.join(self.loads) or 'none'}"


@dataclass
class Plan:
    name: str
    model: str
    seq: int
    kind: str
    count: int  # GEMMs of this shape per layer
    M: int
    N: int
    K: int  # unpadded
    mode: str
    out_mode: str
    Mp: int = 0
    Np: int = 0
    Kp: int = 0
    order: str = ""
    tiles: list = field(default_factory=list)  # every tile of one GEMM, in execution order
    infeasible: str = ""  # why the top cannot run it without splitting K

    @property
    def useful_fraction(self):
        return (self.M * self.N * self.K) / (self.Mp * self.Np * self.Kp)

    def classes(self):
        """{tile key: (Tile, count)}, in order of first occurrence."""
        out = {}
        for t in self.tiles:
            if t.key in out:
                out[t.key] = (t, out[t.key][1] + 1)
            else:
                out[t.key] = (t, 1)
        return out

    def to_json(self):
        return {
            "model": self.model, "seq": self.seq, "kind": self.kind, "count_per_layer": self.count,
            "M": self.M, "N": self.N, "K": self.K, "mode": self.mode, "out_mode": self.out_mode,
            "padded": {"M": self.Mp, "N": self.Np, "K": self.Kp}, "useful_fraction": self.useful_fraction,
            "order": self.order, "tiles": len(self.tiles), "infeasible": self.infeasible or None,
            "classes": {k: {"M": t.m, "N": t.n, "loads": list(t.loads), "count": c}
                        for k, (t, c) in self.classes().items()},
        }


def scale_of(params):
    """Workload scale of a configuration: 1 for VEC = 64 (the paper's); a
    smaller configuration gets every dimension scaled by VEC/64, so that K/V
    stays the paper's (development runs only: the fast buffers are smaller)."""
    return params["VEC"] / 64


def shapes(model, seq, scale=1.0):
    """[(kind, count per layer, M, N, K, mode)] of one layer."""
    p = MODELS[model]
    H, F, h, d = (max(1, round(p[k] * scale)) for k in ("hidden", "ffn", "heads", "head_dim"))
    h = p["heads"]
    seq = max(1, round(seq * scale))
    return [
        ("proj", 4, H, seq, H, "int4_vsq"),
        ("fc1", 1, F, seq, H, "int4_vsq"),
        ("fc2", 1, H, seq, F, "int4_vsq"),
        ("qk", h, seq, seq, d, "int4_vsq"),
        ("pv", h, d, seq, seq, "int8"),
    ]


def _split(total, cap, unit):
    """Balanced tile sizes (multiples of unit, each <= cap) covering total."""
    n = -(-total // cap)
    size = min(cap, _up(-(-total // n), unit))
    sizes = [size] * (total // size)
    if total % size:
        sizes.append(total % size)
    return sizes


def _tiles(m_sizes, n_sizes, order):
    tiles, cur = [], {"A": None, "B": None}
    outer, inner = (m_sizes, n_sizes) if order == "m_outer" else (n_sizes, m_sizes)
    for oi in range(len(outer)):
        for ii in range(len(inner)):
            mi, ni = (oi, ii) if order == "m_outer" else (ii, oi)
            loads = []
            if cur["A"] != mi:
                loads += ["A", "T"]
                cur["A"] = mi
            if cur["B"] != ni:
                loads.append("B")
                cur["B"] = ni
            order_loads = tuple(x for x in ("A", "B", "T") if x in loads)
            tiles.append(Tile(m_sizes[mi], n_sizes[ni], order_loads))
    return tiles


def plan(model, seq, kind, count, M, N, K, mode, params):
    lanes, acc_depth = params["LANES"], params["ACC_DEPTH"]
    a_depth, b_depth = params["A_DEPTH"], params["B_DEPTH"]
    V = v_of(mode, params)
    kv = _up(K, V) // V
    if kind == "qk":
        out_mode = "softmax"
    else:
        # The first quantized output whose row unit divides M and fits the A banks.
        fits = [o for o in ("int4_vsq", "int8_vsq", "int8")
                if M % m_unit(o, params) == 0 and (a_depth // kv) * lanes >= m_unit(o, params)]
        out_mode = fits[0] if fits else "int8"
    mu = m_unit(out_mode, params)
    p = Plan(f"{model}.s{seq}.{kind}", model, seq, kind, count, M, N, K, mode, out_mode,
             Mp=_up(M, mu), Np=_up(N, acc_depth), Kp=_up(K, V))
    m_cap = _down((a_depth // kv) * lanes, mu)
    n_cap = _down(b_depth // kv, acc_depth)
    if out_mode == "softmax":
        if p.Mp > min(MAX_L, m_cap):
            p.infeasible = f"softmax over M={p.Mp} needs one column in one GEMM, the buffers take M <= {m_cap}"
            return p
    if m_cap < mu or n_cap < acc_depth:
        p.infeasible = (f"K/V = {kv} leaves room for no tile (A: {a_depth} words per bank, B: {b_depth} words); "
                        f"K would have to be split")
        return p
    m_sizes, n_sizes = _split(p.Mp, m_cap, mu), _split(p.Np, n_cap, acc_depth)

    def load_words(tiles):
        return sum((t.m * kv if "A" in t.loads else 0) + (t.n * kv if "B" in t.loads else 0)
                   + (t.m if "T" in t.loads else 0) for t in tiles)

    options = {o: _tiles(m_sizes, n_sizes, o) for o in ("m_outer", "n_outer")}
    p.order = min(options, key=lambda o: (load_words(options[o]), o != "m_outer"))
    p.tiles = options[p.order]
    return p


def all_plans(params, models=None, seqs=None, kinds=None):
    out = []
    for model in models or MODELS:
        for seq in seqs or SEQ_LENS:
            for kind, count, M, N, K, mode in shapes(model, seq, scale_of(params)):
                if kinds and kind not in kinds:
                    continue
                out.append(plan(model, seq, kind, count, M, N, K, mode, params))
    return out


def select(plans, names):
    """Plans whose name matches one of the comma-separated patterns (fnmatch)."""
    import fnmatch
    if not names:
        return plans
    pats = [n.strip() for n in names.split(",") if n.strip()]
    return [p for p in plans if any(fnmatch.fnmatch(p.name, pat) for pat in pats)]



def tile_key(m, n, k, mode, out_mode, loads):
    """Key of a tile measurement: padded shape, mode, out_mode and the operands
    loaded in its window (its timing depends on nothing else: not on the data,
    nor on the model the shape came from)."""
    return f"{m}x{n}x{k}-{mode}-{out_mode}-{''.join(loads) or 'none'}"


def plan_tile_keys(plan):
    """[(key, Tile, count)] of a plan's tile classes, in order of first occurrence."""
    return [(tile_key(t.m, t.n, plan.Kp, plan.mode, plan.out_mode, t.loads), t, c)
            for t, c in plan.classes().values()]


def estimate_cycles(plan, params):
    """Rough cycles of one GEMM (MAC steps + one cycle per loaded word or table row)."""
    V = v_of(plan.mode, params)
    kv = plan.Kp // V
    return sum(mac_steps(t.m, t.n, plan.Kp, plan.mode, params) + ("A" in t.loads) * t.m * kv + ("B" in t.loads) * t.n * kv
               + ("T" in t.loads) * t.m for t in plan.tiles)


def aggregate(plan, measured):
    """Utilization of one GEMM of `plan` from tile measurements {tile_key: m}:
    every tile of the plan counted with its class's measured window."""
    if plan.infeasible:
        return {"infeasible": plan.infeasible}
    br = {"load_A": 0, "load_B": 0, "load_T": 0, "start": 0, "mac_active": 0, "pipeline_and_drain": 0}
    tot = {"e2e": 0, "cyc_total": 0, "cyc_mac": 0}
    for key, t, count in plan_tile_keys(plan):
        m = measured[key]
        for d, c in m["load_cycles"].items():
            br["load_" + d] += count * c
        br["start"] += count * m["start_cycles"]
        br["mac_active"] += count * m["cyc_mac"]
        br["pipeline_and_drain"] += count * (m["cyc_total"] - m["cyc_mac"])
        tot["e2e"] += count * m["window_cycles"]
        tot["cyc_total"] += count * m["cyc_total"]
        tot["cyc_mac"] += count * m["cyc_mac"]
    u = plan.useful_fraction
    return {
        "steady": u * tot["cyc_mac"] / tot["cyc_total"],
        "end_to_end": u * tot["cyc_mac"] / tot["e2e"],
        "mac_active_steady": tot["cyc_mac"] / tot["cyc_total"],
        "mac_active_end_to_end": tot["cyc_mac"] / tot["e2e"],
        "useful_fraction": u,
        "cycles_end_to_end": tot["e2e"], "cyc_total": tot["cyc_total"], "cyc_mac": tot["cyc_mac"],
        "breakdown_cycles": br,
        "tiles": len(plan.tiles), "tile_classes": [k for k, _, _ in plan_tile_keys(plan)],
    }


if __name__ == "__main__":
    import json
    import sys

    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1]))
    from tb.common.params import PARAM_SETS

    pset = sys.argv[1] if len(sys.argv) > 1 else "paper"
    for pl in all_plans(PARAM_SETS[pset]):
        j = pl.to_json()
        print(pl.name, pl.mode, pl.out_mode, f"pad {j['padded']}", f"useful {pl.useful_fraction:.2f}", pl.order,
              f"tiles {len(pl.tiles)}", pl.infeasible or json.dumps(j["classes"]))
