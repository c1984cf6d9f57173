"""Per-element reference of numerics.md in plain Python ints.

Written independently of ``models`` (no shared helpers, loops instead of
arrays, Python's own ``>>`` and ``//``), straight from the formulas, so that
agreement with the vectorized model is evidence rather than a tautology.
"""

POW2 = [32768, 27554, 23170, 19484]
C0 = [32768, 29127, 26214, 23831, 21845, 20165, 18725, 17476, 16384]


def rhu(x, k):
    return x if k == 0 else (x + (1 << (k - 1))) >> k


def clamp(x, lo, hi):
    return max(lo, min(hi, x))


def sat(x, bits):
    return clamp(x, -(1 << (bits - 1)), (1 << (bits - 1)) - 1)


def gemm_acc(mode, a_q, a_s, b_q, b_s, vec):
    """acc[m][n] as nested lists, one lane at a time, one step at a time."""
    return gemm_acc_sat(mode, a_q, a_s, b_q, b_s, vec)[0]


def gemm_acc_sat(mode, a_q, a_s, b_q, b_s, vec):
    """(acc, sat): sat bit 0 when a step's sum went above +2^23-1, bit 1 below -2^23."""
    V = vec if mode.startswith("int4") else vec // 2
    M, K, N = len(a_q), len(b_q), len(b_q[0])
    acc = [[0] * N for _ in range(M)]
    flags = 0
    for m in range(M):
        for n in range(N):
            total = 0
            for k in range(K // V):
                dot = 0
                for i in range(V):
                    dot += int(a_q[m][k * V + i]) * int(b_q[k * V + i][n])
                if mode == "int4_vsq":
                    dot *= (int(a_s[m][k]) * int(b_s[k][n]) + 128) >> 8
                s = total + dot
                flags |= (s > (1 << 23) - 1) | 2 * (s < -(1 << 23))
                total = sat(s, 24)
            acc[m][n] = total
    return acc, flags


def ppu(acc, g, bias, sh, relu):
    y = []
    for m, row in enumerate(acc):
        out = []
        for a in row:
            v = rhu(int(a) * int(g[m]), sh) + int(bias[m])
            if relu:
                v = max(v, 0)
            out.append(sat(v, 18))
        y.append(out)
    return y


def quantize_vectors(y, vo, qmax):
    """(q, s) as nested lists: q [M][N], s [M/vo][N]."""
    M, N = len(y), len(y[0])
    q = [[0] * N for _ in range(M)]
    s = [[0] * N for _ in range(M // vo)]
    for grp in range(M // vo):
        for n in range(N):
            rows = range(grp * vo, (grp + 1) * vo)
            mx = max(abs(y[m][n]) for m in rows)
            sc = clamp((mx + qmax - 1) // qmax, 1, 255)
            r = ((1 << 17) + sc) // (2 * sc)
            for m in rows:
                q[m][n] = clamp(rhu(y[m][n] * r, 16), -qmax, qmax)
            s[grp][n] = sc
    return q, s


def reciprocal(D):
    z = D.bit_length() - 1
    Dn = D << (15 - z) if z <= 15 else D >> (z - 15)
    i = (Dn >> 12) & 7
    t = Dn & 0xFFF
    return z, C0[i] - (((C0[i] - C0[i + 1]) * t) >> 12)


def softermax_column(x, block):
    """Probabilities of one column (a list of ints), element by element."""
    L = len(x)
    nb = L // block
    m, d, u = [], [], [0] * L
    for b in range(nb):
        idx = range(b * block, (b + 1) * block)
        cb = max((x[j] + 3) >> 2 for j in idx)
        m.append(cb if b == 0 else max(m[-1], cb))
        sb = 0
        for j in idx:
            e = 4 * m[b] - x[j]
            u[j] = 0 if (e >> 2) >= 16 else POW2[e & 3] >> (e >> 2)
            sb += u[j] >> 5
        if b == 0:
            d.append(min((1 << 20) - 1, sb))
        else:
            shift = m[b] - m[b - 1]
            prev = 0 if shift >= 20 else d[-1] >> shift
            d.append(min((1 << 20) - 1, prev + sb))
    z, R = reciprocal(d[-1])
    p = []
    for j in range(L):
        shift = m[-1] - m[j // block]
        u2 = 0 if shift >= 16 else u[j] >> shift
        p.append(clamp(rhu(u2 * R, 13 + z), 0, 127))
    return p


def run_case(case):
    """Expected outputs of a case as nested lists, keyed like the model's."""
    acc = gemm_acc(case["mode"], case["a_q"].tolist(), case["a_s"].tolist(),
                   case["b_q"].tolist(), case["b_s"].tolist(), case["vec"])
    out = {"acc": acc}
    om = case["out_mode"]
    if om == "acc":
        return out
    y = ppu(acc, case["g"].tolist(), case["bias"].tolist(), case["sh"], case["relu"])
    if om in ("int8", "int4"):
        lim = 127 if om == "int8" else 7
        out["out_q"] = [[clamp(v, -lim, lim) for v in row] for row in y]
    elif om == "softmax":
        cols = [softermax_column([clamp(row[n], -127, 127) for row in y], case["lanes"]) for n in range(len(y[0]))]
        out["probs"] = [list(r) for r in zip(*cols)]
    else:
        vo, qmax = (case["vec"], 7) if om == "int4_vsq" else (case["vec"] // 2, 127)
        out["out_q"], out["out_s"] = quantize_vectors(y, vo, qmax)
    return out
