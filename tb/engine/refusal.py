"""Which starts the engine must refuse, and with which code: the error table
of docs/interfaces.md restricted to the codes the engine detects (1..7),
lowest code first. The table is the reference; the model (models/) has no
notion of hardware capacity.

For the unknown mode 3, V is undefined, so the rules that need V (4 K_MULT,
5 A_CAP, 6 B_CAP) are not evaluated: the code is the lowest of 1..3, else 7
(docs/rtl-engine.md, "Start check").
"""

ZERO_DIM, M_MULT, N_MULT, K_MULT, A_CAP, B_CAP, MODE = range(1, 8)
ENGINE_CODES = (ZERO_DIM, M_MULT, N_MULT, K_MULT, A_CAP, B_CAP, MODE)
CODE_NAMES = {ZERO_DIM: "ZERO_DIM", M_MULT: "M_MULT", N_MULT: "N_MULT", K_MULT: "K_MULT",
              A_CAP: "A_CAP", B_CAP: "B_CAP", MODE: "MODE"}


def vec_len_code(mode, vec):
    """V of a mode code (None for the unknown mode 3)."""
    return {0: vec // 2, 1: vec, 2: vec}.get(int(mode))


def expected_code(m, n, k, mode, params):
    """0 when the start is legal, else the lowest broken rule's code."""
    lanes, acc_depth = params["LANES"], params["ACC_DEPTH"]
    if m == 0 or n == 0 or k == 0:
        return ZERO_DIM
    if m % lanes:
        return M_MULT
    if n % acc_depth:
        return N_MULT
    V = vec_len_code(mode, params["VEC"])
    if V is None:
        return MODE
    if k % V:
        return K_MULT
    kv = k // V
    if (m // lanes) * kv > params["A_DEPTH"]:
        return A_CAP
    if n * kv > params["B_DEPTH"]:
        return B_CAP
    return 0
