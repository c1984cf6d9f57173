"""Make the repository root importable so that plain ``pytest`` finds ``models``
(``python -m pytest`` already puts the working directory on sys.path); the fixtures
``minilm_model`` (the installed model, or a skip) and ``synthetic_layer`` (no download)."""

import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from transformer import calibrate, minilm  # noqa: E402
from transformer.config import Config  # noqa: E402
from transformer.pipeline import Pipeline  # noqa: E402


@pytest.fixture(scope="session")
def minilm_model():
    """The installed model (weights sha256-checked), or a skip naming how to install it."""
    try:
        minilm.load_weights()
        minilm.load_tokenizer()
    except (minilm.ModelMissing, ImportError) as exc:
        pytest.skip(f"MiniLM not available ({exc}); run bash tools/setup_accuracy.sh")
    return minilm


def _layer(rng):
    H, F = minilm.HIDDEN, minilm.FFN

    def w(m, k):
        return (rng.standard_normal((m, k)) / np.sqrt(k)).astype(np.float32)

    def b(m):
        return (0.05 * rng.standard_normal(m)).astype(np.float32)

    one, zero = np.ones(H, np.float32), np.zeros(H, np.float32)
    return minilm.Layer(wq=w(H, H), bq=b(H), wk=w(H, H), bk=b(H), wv=w(H, H), bv=b(H), wo=w(H, H), bo=b(H),
                        ln1_g=one, ln1_b=zero, w1=w(F, H), b1=b(F), w2=w(H, F), b2=b(H), ln2_g=one, ln2_b=zero)


@pytest.fixture(scope="session")
def synthetic_layer():
    """(weights, batch, h, FP32 layer-0 output, calibration stats) of a synthetic layer with MiniLM's shapes
    (no model download): two sentences of 7 and 29 tokens, outlier channels as after MiniLM's LayerNorms."""
    H = minilm.HIDDEN
    rng = np.random.default_rng(0)
    weights = minilm.Weights(word=None, pos=None, type0=None, ln_g=None, ln_b=None,
                             layers=(_layer(rng),) * minilm.LAYERS)
    lengths = np.array([7, 29])
    batch = minilm.Batch(index=np.arange(2), ids=np.zeros((2, 32), np.int32), lengths=lengths)
    x = rng.standard_normal((int(lengths.sum()), H)).astype(np.float32)
    x[:, [3, 100]] *= 10  # outlier channels, as after MiniLM's LayerNorms
    h = minilm.layer_norm(x, np.ones(H, np.float32), np.zeros(H, np.float32))
    col, hcol = calibrate.Collector(), calibrate.HessianCollector()

    def taps(layer, point, v):
        col(layer, point, v)
        hcol(layer, point, v)

    ref = Pipeline(Config("fp32", quantized=()), weights=weights, taps=taps, selfcheck=False).layer(0, batch, h)
    st = col.result()
    stats = {f"{l}.{p}": st[f"0.{p}"] for l in range(minilm.LAYERS) for p in calibrate.POINTS}
    stats["_hessian"] = {f"{l}.{p}": hcol.h[f"0.{p}"] for l in range(minilm.LAYERS) for p in calibrate.HOST_POINTS}
    return weights, batch, h, ref, stats
