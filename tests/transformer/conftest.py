"""Make the repository root importable so that plain ``pytest`` finds ``models``
(``python -m pytest`` already puts the working directory on sys.path)."""

import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def minilm_model():
    """The installed model (weights sha256-checked), or a skip naming how to install it."""
    from transformer import minilm

    try:
        minilm.load_weights()
        minilm.load_tokenizer()
    except (minilm.ModelMissing, ImportError) as exc:
        pytest.skip(f"MiniLM not available ({exc}); run bash tools/setup_accuracy.sh")
    return minilm
