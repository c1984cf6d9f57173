"""Host-side float quantization (§7): hand example, layouts, accuracy."""

import numpy as np
import pytest

from models.quant import dequant, per_channel, per_tensor, vsq_dequant, vsquant


def test_vsquant_hand_example():
    # Two vectors of 4 (INT4, Qmax = 7).
    # v0 = [3.5, -7, 1.75, 0]: s_f = 7/7 = 1, q = rint([3.5, -7, 1.75, 0]) = [4, -7, 2, 0]
    #   (3.5 is a tie: half to even gives 4).
    # v1 = [28, 14, -10.5, 0]: s_f = 28/7 = 4, x/s_f = [7, 3.5, -2.625, 0] -> [7, 4, -3, 0].
    # gamma = max(1, 4) / 255 = 4/255; sq = rint([1, 4] / gamma) = rint([63.75, 255]) = [64, 255].
    x = np.array([[3.5, -7, 1.75, 0, 28, 14, -10.5, 0]])
    r = vsquant(x, 4, 4)
    assert r["q"].tolist() == [[4, -7, 2, 0, 7, 4, -3, 0]]
    assert r["sq"].tolist() == [[64, 255]]
    assert r["gamma"] == pytest.approx([4 / 255])
    assert r["q"].dtype == np.int8 and r["sq"].dtype == np.uint8
    x_hat = vsq_dequant(r["q"], r["sq"], r["gamma"], 4)
    assert x_hat == pytest.approx(np.array([[4, -7, 2, 0, 7 * 255 / 64, 4 * 255 / 64, -3 * 255 / 64, 0]]) * 64 * 4 / 255)


def test_vsquant_zero_vectors_and_rows():
    x = np.zeros((2, 8))
    x[1, 4:] = [1, -2, 0, 0]
    r = vsquant(x, 4, 8)
    assert r["gamma"][0] == 1.0  # all-zero row
    assert r["sq"].tolist() == [[0, 0], [0, 255]]
    assert r["q"][0].tolist() == [0] * 8 and r["q"][1, :4].tolist() == [0] * 4
    assert np.array_equal(vsq_dequant(r["q"], r["sq"], r["gamma"], 4)[0], np.zeros(8))


def test_vsquant_layouts_agree():
    # Activations X^T [in, tokens] with axis=0 are weights-style with axis=-1, transposed.
    rng = np.random.default_rng(0)
    x = rng.standard_normal((5, 32))
    a = vsquant(x, 8, 4, axis=-1)
    b = vsquant(x.T, 8, 4, axis=0)
    assert np.array_equal(a["q"], b["q"].T) and np.array_equal(a["sq"], b["sq"].T)
    assert np.array_equal(a["gamma"], b["gamma"])
    assert a["sq"].shape == (5, 4) and b["sq"].shape == (4, 5)
    t = vsquant(x.T, 8, 4, axis=0, coarse="tensor")
    assert t["gamma"].shape == () and t["sq"].max() == 255
    assert np.allclose(vsq_dequant(b["q"], b["sq"], b["gamma"], 8, axis=0), vsq_dequant(a["q"], a["sq"], a["gamma"], 8).T)


def test_quantizers_stay_in_narrow_range():
    rng = np.random.default_rng(1)
    x = rng.standard_t(3, (16, 64))
    for nbits, qmax in ((4, 7), (8, 127)):
        r = vsquant(x, 16, nbits)
        assert np.abs(r["q"]).max() == qmax
        q, s = per_tensor(x, nbits)
        assert np.abs(q).max() == qmax and isinstance(s, float)
        q, s = per_channel(x, nbits)
        assert (np.abs(q).max(axis=1) == qmax).all() and s.shape == (16, 1)


def test_vsquant_beats_per_channel_on_heavy_tails():
    rng = np.random.default_rng(2)
    w = rng.standard_t(3, (64, 512))
    r = vsquant(w, 16, 4)
    err_vsq = np.mean((vsq_dequant(r["q"], r["sq"], r["gamma"], 16) - w) ** 2)
    q, s = per_channel(w, 4)
    err_pc = np.mean((dequant(q, s) - w) ** 2)
    q, s = per_tensor(w, 4)
    err_pt = np.mean((dequant(q, s) - w) ** 2)
    assert err_vsq < err_pc / 2 and err_pc < err_pt


def test_vsquant_rejects_bad_arguments():
    with pytest.raises(ValueError):
        vsquant(np.zeros((2, 6)), 4, 4)
    with pytest.raises(ValueError):
        vsquant(np.zeros((2, 8)), 4, 4, coarse="row")
