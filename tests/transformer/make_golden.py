"""Make tests/transformer/golden.npz: reference embeddings from the model's own stack.

Run once, in a throwaway venv that has torch and sentence-transformers (never
the project's .venv), e.g.

    python3 -m venv /tmp/torchvenv
    /tmp/torchvenv/bin/pip install torch==2.13.0 sentence-transformers==6.2.0
    /tmp/torchvenv/bin/python tests/transformer/make_golden.py "$(.venv/bin/python -c 'from transformer import minilm; print(minilm.model_dir())')"

The texts are written for this project. The long one exceeds 256 tokens, so
it also checks the truncation at sentence-transformers' max_seq_length.
"""

import os
import sys

import numpy as np
import sentence_transformers
import torch
from sentence_transformers import SentenceTransformer

TEXTS = [
    "The quick brown fox jumps over the lazy dog.",
    "A movie that is both funny and deeply sad, with a wonderful cast.",
    "accelerator",
    " ".join(["The engineers measured the power of the chip at every voltage and frequency point,"
              " then compared it with the simulation."] * 14),
]


def main(model_dir):
    model = SentenceTransformer(model_dir, device="cpu")
    emb = model.encode(TEXTS, convert_to_numpy=True, normalize_embeddings=True, batch_size=1)
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden.npz")
    np.savez(out, texts=np.array(TEXTS), embeddings=emb.astype(np.float32),
             max_seq_length=np.int64(model.max_seq_length),
             made_with=np.array(f"sentence-transformers {sentence_transformers.__version__}, torch {torch.__version__}"))
    print(out, emb.shape, model.max_seq_length)


if __name__ == "__main__":
    main(sys.argv[1])
