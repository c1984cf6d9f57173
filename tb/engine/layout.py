"""The engine's buffer layout (docs/interfaces.md, "Buffer layout"), both ways:
operand arrays -> the buffer writes that load them (stimulus), and buffer
contents -> the operand arrays a GEMM reads (the scoreboard's view).

A: row m, vector k -> bank m % LANES, address (m / LANES)·(K/V) + k.
B: column n, vector k -> address n·(K/V) + k.
Words are packed and unpacked by models.words only.
"""

import numpy as np

from models.numerics import vec_len
from models.words import pack_words, unpack_words


def a_locations(M, kv, lanes):
    """(bank, addr) arrays of A's words in (m, k) order."""
    m = np.repeat(np.arange(M), kv)
    k = np.tile(np.arange(kv), M)
    return m % lanes, (m // lanes) * kv + k


def b_locations(N, kv):
    """Addresses of B's words in (n, k) order."""
    return np.arange(N * kv)


def buffer_writes(case, lanes):
    """(a_writes [(bank, addr, word)], b_writes [(addr, word)]) for a case dict."""
    mode, vec = case["mode"], case["vec"]
    V = vec_len(mode, vec)
    a_q, b_q = case["a_q"], case["b_q"]
    M, K = a_q.shape
    N = b_q.shape[1]
    kv = K // V
    a_words = pack_words(a_q.reshape(M * kv, V), case["a_s"].reshape(M * kv), mode, vec)
    b_words = pack_words(np.ascontiguousarray(b_q.T).reshape(N * kv, V),
                         np.ascontiguousarray(case["b_s"].T).reshape(N * kv), mode, vec)
    banks, addrs = a_locations(M, kv, lanes)
    a_writes = [(int(b), int(a), w) for b, a, w in zip(banks, addrs, a_words)]
    b_writes = [(int(a), w) for a, w in zip(b_locations(N, kv), b_words)]
    return a_writes, b_writes


def gather_operands(a_mem, b_mem, M, N, K, mode, vec, lanes):
    """(a_q [M,K], a_s [M,K/V], b_q [K,N], b_s [K/V,N]) as the buffers hold them.

    a_mem[bank][addr] and b_mem[addr] are words (None where never written).
    """
    V = vec_len(mode, vec)
    kv = K // V
    banks, addrs = a_locations(M, kv, lanes)
    a_words = [a_mem[b][a] for b, a in zip(banks, addrs)]
    b_words = [b_mem[a] for a in b_locations(N, kv)]
    if None in a_words or None in b_words:
        raise AssertionError(f"the GEMM M={M} N={N} K={K} {mode} reads buffer words that were never written")
    aq, as_ = unpack_words(a_words, mode, vec)
    bq, bs = unpack_words(b_words, mode, vec)
    return (aq.reshape(M, K), as_.reshape(M, kv),
            np.ascontiguousarray(bq.reshape(N, K).T), np.ascontiguousarray(bs.reshape(N, kv).T))
