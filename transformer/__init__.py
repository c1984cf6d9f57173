"""all-MiniLM-L6-v2 through the accelerator's numerics (GitHub issue 8).

Submodules, one job each:

* ``minilm``     — the model files from the installed package (sha256-checked),
                   the tokenizer as sentence-transformers configures it, and
                   the FP32 numpy forward pass with mean pooling;
* ``data``       — the labelled evaluation sets, read at run time from the
                   installed/downloaded packages (never vendored);
* ``config``     — the quantization schemes and ``Config`` (one configuration);
* ``hostquant``  — activations as operand words: the host's static quantizers;
* ``weightquant``— offline weight quantization (max-abs, MSE clip, GPTQ);
* ``cases``      — a GEMM as a case of ``models``: scale folding, the case dict,
                   the bit-exact self-check of the batched GEMMs;
* ``attention``  — the attention GEMMs of a batch, every sentence and head at once;
* ``pipeline``   — the forward pass: every matrix product as a case of the
                   bit-exact reference model ``models`` (and baselines);
* ``cost``       — MACs and lane steps of a layer (mixed precision's cost);
* ``calibrate``  — the static calibration of every coarse scale (g, bias, sh);
* ``probe``      — numpy logistic regression, k-fold, Spearman, bootstrap;
* ``evaluate``   — all metrics of one configuration's embeddings;
* ``report``     — accuracy.json, report.md/.html and the plots;
* ``export_cases`` — real-data case files for the RTL (regressions/data/).

``python -m transformer`` runs everything (see ``__main__``).
"""
