"""PPU (§4) and output formats (§5): hand examples and the slow reference."""

import numpy as np
import pytest

import models_slow_ref as ref
from models.ppu import postprocess, ppu, quantize_vectors


def test_ppu_hand_example():
    acc = np.array([[1000, -1000], [(1 << 23) - 1, -(1 << 23)]])
    g = np.array([3, 65535])
    bias = np.array([-200, 0])
    # Row 0, sh = 4: t = 3000 -> (3000 + 8) >> 4 = 188; v = 188 - 200 = -12.
    #                t = -3000 -> (-3000 + 8) >> 4 = -2992 >> 4 = -187; v = -387.
    # Row 1, sh = 4: t = ±8388607*65535 / 16 is far beyond 18 bits -> ±rails.
    assert ppu(acc, g, bias, 4, False).tolist() == [[-12, -387], [131071, -131072]]
    # ReLU clips before saturation: the negative rail becomes 0.
    assert ppu(acc, g, bias, 4, True).tolist() == [[0, 0], [131071, 0]]
    # sh = 31: t = 8388607*65535 = 549,747,359,745; + 2^30 = 550,821,101,569;
    # >> 31 = 256 (256.49 floors).
    assert ppu(acc[1:, :1], g[1:], bias[1:], 31, False).tolist() == [[256]]
    # sh = 0 is the identity shift: 1000*3 - 200 = 2800.
    assert ppu(acc[:1, :1], g[:1], bias[:1], 0, False).tolist() == [[2800]]


def test_quantize_vectors_int4_hand_example():
    y = np.array([[-20, 0, 131071], [3, 0, -131072], [14, 0, 100], [0, 0, 0]])
    q, s = quantize_vectors(y, 4, 7)
    # Column 0: mx = 20, s = (20 + 6) // 7 = 3, r = (131072 + 3) // 6 = 21845.
    #   -20*21845 = -436900; (-436900 + 32768) >> 16 = floor(-6.17) = -7
    #     3*21845 =   65535; ( 65535 + 32768) >> 16 = 1
    #    14*21845 =  305830; (305830 + 32768) >> 16 = 5
    # Column 1 (all zero): s = clamp(0, 1, 255) = 1, r = 131073 // 2 = 65536, q = 0.
    # Column 2: s = clamp(ceil(131071 / 7) = 18725, 1, 255) = 255,
    #   r = (131072 + 255) // 510 = 257; 131071*257 -> 514 -> clamp 7;
    #   -131072*257 -> -514 -> -7; 100*257 = 25700 -> (25700 + 32768) >> 16 = 0.
    assert s.tolist() == [[3, 1, 255]]
    assert q.T.tolist() == [[-7, 1, 5, 0], [0, 0, 0, 0], [7, -7, 0, 0]]
    assert q.dtype == np.int8 and s.dtype == np.uint8


def test_quantize_vectors_int8_hand_example():
    # mx = 1000, s = (1000 + 126) // 127 = 8, r = (131072 + 8) // 16 = 8192.
    # 1000*8192 = 8192000 -> (8192000 + 32768) >> 16 = 125
    # -500*8192 = -4096000 -> (-4096000 + 32768) >> 16 = -62
    # 1*8192 -> (8192 + 32768) >> 16 = 0
    q, s = quantize_vectors(np.array([[1000], [-500], [0], [1]]), 4, 127)
    assert s.tolist() == [[8]] and q[:, 0].tolist() == [125, -62, 0, 0]


def test_quantize_vectors_rejects_partial_group():
    with pytest.raises(ValueError):
        quantize_vectors(np.zeros((6, 2)), 4, 7)


def _random_tile(rng, M, N):
    acc = rng.integers(-(1 << 23), 1 << 23, (M, N))
    acc[rng.random((M, N)) < 0.2] = rng.choice([-(1 << 23), (1 << 23) - 1, 0])
    g = rng.integers(0, 1 << 16, M)
    bias = rng.integers(-(1 << 15), 1 << 15, M)
    return acc, g, bias


@pytest.mark.parametrize("seed", range(4))
def test_ppu_and_quantizer_match_slow_reference(seed):
    rng = np.random.default_rng(seed)
    for _ in range(10):
        M, N = 8 * int(rng.integers(1, 4)), int(rng.integers(1, 5))
        acc, g, bias = _random_tile(rng, M, N)
        sh, relu = int(rng.integers(0, 32)), bool(rng.integers(2))
        y = ppu(acc, g, bias, sh, relu)
        y_ref = ref.ppu(acc.tolist(), g.tolist(), bias.tolist(), sh, relu)
        assert y.tolist() == y_ref
        for vo, qmax in ((8, 7), (4, 127)):
            q, s = quantize_vectors(y, vo, qmax)
            q_ref, s_ref = ref.quantize_vectors(y_ref, vo, qmax)
            assert q.tolist() == q_ref and s.tolist() == s_ref
            assert np.abs(q).max() <= qmax and s.min() >= 1


@pytest.mark.parametrize(
    "out_mode, keys",
    [
        ("acc", {"acc"}),
        ("int8", {"acc", "out_q"}),
        ("int4", {"acc", "out_q"}),
        ("int4_vsq", {"acc", "out_q", "out_s"}),
        ("int8_vsq", {"acc", "out_q", "out_s"}),
        ("softmax", {"acc", "probs"}),
    ],
)
def test_postprocess_keys_and_dtypes(out_mode, keys):
    rng = np.random.default_rng(5)
    acc, g, bias = _random_tile(rng, 16, 3)
    out = postprocess(acc, g, bias, 20, False, out_mode, 8, 4)
    assert set(out) == keys
    dtypes = {"acc": np.int32, "out_q": np.int8, "out_s": np.uint8, "probs": np.uint8}
    assert all(out[k].dtype == dtypes[k] for k in out)
    assert np.array_equal(out["acc"], acc)
    if "out_s" in out:
        vo = 8 if out_mode == "int4_vsq" else 4
        assert out["out_s"].shape == (16 // vo, 3)


def test_postprocess_int_clamps():
    acc = np.array([[-1000, -8, 0, 8, 1000]])
    one = np.array([1])
    zero = np.array([0])
    assert postprocess(acc, one, zero, 0, False, "int4", 8, 1)["out_q"].tolist() == [[-7, -7, 0, 7, 7]]
    assert postprocess(acc, one, zero, 0, False, "int8", 8, 1)["out_q"].tolist() == [[-127, -8, 0, 8, 127]]
