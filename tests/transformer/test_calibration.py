"""Offline weight quantizers and calibration searches of the VS-Quant pipeline (transformer/, not models/)."""

import numpy as np

import models
from transformer import calibrate
from transformer.config import Config, SCHEMES
from transformer.hostquant import vsquant_static
from transformer.weightquant import quantize_weight, vsquant_gptq, vsquant_mse


def _rng(seed=0):
    return np.random.default_rng(seed)


def _weights(seed=0, M=48, K=256):
    rng = _rng(seed)
    return rng.standard_normal((M, K)) * np.exp(0.5 * rng.standard_normal((M, 1)))


def _legal(r, M, K, V=64):
    assert r["q"].dtype == np.int8 and r["q"].shape == (M, K) and np.abs(r["q"]).max() <= 7
    assert r["sq"].dtype == np.uint8 and r["sq"].shape == (M, K // V)


def _err(w, r):
    return ((w - models.vsq_dequant(r["q"], r["sq"], r["gamma"], 64)) ** 2).sum(axis=-1)


def test_vsquant_mse_is_the_same_format_and_never_worse_than_max_abs():
    w = _weights()
    ref = models.vsquant(w, 64, 4, axis=-1, coarse="channel")
    got = vsquant_mse(w, 64, 4)
    _legal(got, *w.shape)
    assert np.array_equal(got["gamma"], ref["gamma"])
    e_ref, e_got = _err(w, ref), _err(w, got)
    assert np.all(e_got <= e_ref * (1 + 1e-12)) and e_got.sum() < 0.9 * e_ref.sum()


def test_vsquant_gptq_lowers_the_output_error_on_its_calibration_inputs():
    rng = _rng(1)
    M, K, N = 32, 192, 2000
    w = _weights(2, M, K)
    mix = rng.standard_normal((K, K)) * 0.3 + np.eye(K)  # correlated inputs with a few outlier channels
    x = rng.standard_normal((N, K)) @ mix
    x[:, [5, 77]] *= 8
    H = x.T @ x
    got = vsquant_gptq(w, 64, 4, H)
    _legal(got, M, K)
    assert np.array_equal(got["gamma"], models.vsquant(w, 64, 4, axis=-1, coarse="channel")["gamma"])

    def out_err(r):
        d = w - models.vsq_dequant(r["q"], r["sq"], r["gamma"], 64)
        return float(((x @ d.T) ** 2).sum())

    assert out_err(got) < 0.7 * out_err(vsquant_mse(w, 64, 4))
    # dead input channels (H diagonal 0) get weight 0 and no NaN
    H0 = H.copy()
    H0[:, 3] = H0[3, :] = 0
    r0 = vsquant_gptq(w, 64, 4, H0)
    assert not r0["q"][:, 3].any()


def test_quantize_weight_dispatches_on_wclip():
    sch = SCHEMES["vsq"]
    w = _weights(3, 16, 128)
    H = np.eye(128)
    assert np.array_equal(quantize_weight(w, sch, "max").q, models.vsquant(w, 64, 4)["q"])
    assert np.array_equal(quantize_weight(w, sch, "mse").q, vsquant_mse(w, 64, 4)["q"])
    assert np.array_equal(quantize_weight(w, sch, "gptq", H).q, vsquant_gptq(w, 64, 4, H)["q"])
    assert np.array_equal(quantize_weight(w, sch, "gptq").q, vsquant_mse(w, 64, 4)["q"])  # no Hessian: Wo


def test_host_error_grid_is_vsquant_static_error():
    x = _rng(4).standard_normal((40, 128)) * np.exp(_rng(5).standard_normal((1, 128)))
    g0 = np.abs(x).max() / (7 * 255)
    gammas = [g0, 0.6 * g0, 0.31 * g0]
    got = calibrate.host_sq_error(x, gammas, 64, 7)
    for g, e in zip(gammas, got):
        q, s = vsquant_static(x, 4, g)
        xh = (q.reshape(40, 2, 64) * s[:, :, None].astype(float)).reshape(40, 128) * g
        assert np.isclose(e, ((x - xh) ** 2).sum(), rtol=1e-9)


def test_ppu_error_grid_is_the_ppu_quantizer_error():
    x = _rng(6).standard_normal((30, 64)) * 3
    g0 = np.abs(x).max() / (127 * 255)
    got = calibrate.ppu_error(x, [g0, 0.5 * g0], 32, 127)
    for g, e in zip([g0, 0.5 * g0], got):
        y = np.floor(x / g + 0.5).astype(np.int64).T
        q, s = models.quantize_vectors(y, 32, 127)
        xh = (q.astype(float) * np.repeat(s, 32, axis=0)).T * g
        assert np.isclose(e, ((x - xh) ** 2).sum(), rtol=1e-9)


def _stats(layers=6):
    rng = _rng(7)
    stats = {}
    for l in range(layers):
        for p in calibrate.POINTS:
            C = 1536 if p in ("ffn1_out", "x_ffn2") else 384
            cm = rng.uniform(0.5, 5.0, C)
            vec = {k: float(cm.max()) for k in ("p99", "p99.9", "p99.99", "p100", "max")}
            stats[f"{l}.{p}"] = {"maxabs": float(cm.max()), "chanmax": cm.tolist(), "vec32": vec, "vec64": vec}
    return stats


def test_scales_for_variants():
    stats = _stats()
    base = calibrate.scales_for(Config("a", wclip="max"), stats)
    assert base["0.x_ffn1"] == stats["0.x_ffn1"]["vec64"]["max"] / (7 * 255)
    srt = calibrate.scales_for(Config("b", wclip="max", chan_order="sorted"), stats)
    order = srt["0.x_ffn1/order"]
    assert sorted(order) == list(range(384))
    assert np.all(np.diff(np.asarray(stats["0.x_ffn1"]["chanmax"])[order]) <= 0)
    stats["_hessian"] = {f"{l}.{p}": np.eye(4) for l in range(6) for p in calibrate.HOST_POINTS}
    assert "0.x_qkv/hessian" in calibrate.scales_for(Config("c"), stats)  # the default: GPTQ weights
    stats["_mse"] = {f"{l}.{p}/{vo}/{qm}": {"factors": [1.0, 0.5], "sse": [2.0, 1.0], "energy": 1.0}
                     for l in range(6) for p in calibrate.POINTS for vo, qm in ((64, 7), (32, 7), (32, 127))}
    mse = calibrate.scales_for(Config("d", calib="mse"), stats)
    assert mse["0.x_ffn1"] == 0.5 * base["0.x_ffn1"]


def test_save_and_load_keep_the_hessians(tmp_path):
    stats = _stats(1)
    stats["_hessian"] = {"0.x_qkv": np.arange(9.0).reshape(3, 3)}
    path = str(tmp_path / "cal.json")
    calibrate.save(path, stats)
    back = calibrate.load(path)
    assert np.array_equal(back["_hessian"]["0.x_qkv"], stats["_hessian"]["0.x_qkv"])
    assert back["0.q"] == stats["0.q"]
