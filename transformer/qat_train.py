"""``python -m transformer.qat_train`` (``make qat``): train the QAT student, export its words (issue 18).

Distillation from the FP32 model on ``data.training_texts()``; every ``--eval-every``
steps the held-out cosine (the bit-exact pipeline on the calibration text) goes into
the training curve. The result — the float master weights, the exported int4_vsq
words and scales, and the curve — is cached as ``build/accuracy/qat/qat-<key>.npz``
(+ ``.json``), keyed by the code (models/, the numeric modules here, qat*.py), the
calibration statistics, the training text, the hyperparameters and torch's version;
``python -m transformer`` evaluates the words as ``vsq4_qat``.

Deterministic: one torch thread (``QAT_THREADS`` overrides; more threads change the
float summation order of the gradients), one BLAS thread, batches from a seeded
generator, no wall-time budget (the number of steps is fixed).
"""

import os

from .determinism import pin_blas

pin_blas()  # before numpy (determinism.py)

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from dataclasses import fields  # noqa: E402

from . import calibrate, data, minilm  # noqa: E402
from .config import Config  # noqa: E402
from .weightquant import QWeight  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "build", "accuracy")
QAT_DIR = os.path.join(OUT, "qat")
# hyperparameters (README's table of runs): warmup steps of a linear ramp before the cosine decay;
# hidden: weight of the intermediate-layer term (qat.hidden_loss); lsq: learn the coarse scales (Adam at lr_scales on log γ)
DEFAULTS = {"steps": 800, "batch": 16, "lr": 1e-4, "seed": 0, "eval_every": 50, "heldout": 96,
            "warmup": 40, "hidden": 1.0, "lsq": 1, "lr_scales": 1e-3}


def heldout_texts(n):
    """The held-out set of the training curve: calibration sentences (none is a training or evaluation text)."""
    texts = [t for t in data.calibration_texts() if len(t.split()) >= 4]
    return texts[24:24 + n]  # skip the 24 whole documents (long, slow)


GEMMS = ("qk", "v", "wo", "w1", "w2")
# The configuration the student trains in and ``python -m transformer`` evaluates (max-abs weights: qat.py).
QAT = Config("vsq4_qat", wclip="max", description="vsq4 with QAT-trained weights (distillation from FP32, "
             "every GEMM as the chip runs it in the training forward; max-abs per-vector weight scales)")
TORCH_PIN = os.path.join(REPO, "requirements-accuracy-torch.txt")


def export_words(pipe):
    """The operand words of every GEMM weight, {"layer.name/q|s|scale": array}: ``Pipeline.qweight``'s."""
    out = {}
    for l in range(minilm.LAYERS):
        for name in GEMMS:
            qw = pipe.qweight(l, name)
            out[f"{l}.{name}/q"], out[f"{l}.{name}/s"], out[f"{l}.{name}/scale"] = qw.q, qw.s, qw.scale
    return out


def load_words(pipe, words):
    """Give ``pipe`` the exported words: it then evaluates them instead of quantizing its float weights."""
    for l in range(minilm.LAYERS):
        for name in GEMMS:
            pipe._qw[(l, name)] = QWeight(words[f"{l}.{name}/q"], words[f"{l}.{name}/s"], words[f"{l}.{name}/scale"])
    return pipe


def qat_key(code_key, calib_path, texts, hp):
    """Cache key of the trained words: everything they depend on (torch: its pinned version, so that
    ``python -m transformer`` computes the key without importing torch)."""
    h = hashlib.sha256()
    h.update(code_key.encode())
    with open(calib_path, "rb") as f:
        h.update(f.read())
    h.update("\n".join(texts).encode())
    h.update(json.dumps(hp, sort_keys=True).encode())
    for path in (TORCH_PIN, os.path.join(REPO, "transformer", "qat.py"), os.path.abspath(__file__)):
        with open(path, "rb") as f:  # the training code is not in code_key (the pipeline's numerics)
            h.update(f.read())
    return h.hexdigest()[:16]


def lr_factor(step, hp):
    """Learning-rate multiplier: linear warmup over ``warmup`` steps, then cosine decay to 0 at ``steps``."""
    w = hp.get("warmup", 0)
    if step < w:
        return (step + 1) / w
    return 0.5 * (1 + np.cos(np.pi * (step - w) / max(1, hp["steps"] - w)))


def teacher_hidden(w, batch):
    """The FP32 model's outputs of layers 0..LAYERS-2 (real tokens) for one batch: the intermediate targets."""
    hs = []
    minilm.forward_batch(w, batch, taps=lambda l, h: hs.append(h) if l + 1 < minilm.LAYERS else None)
    return hs


def train(student, tokens, teacher, held_tokens, held_teacher, hp, log=print):
    """Adam on 1 − cos (+ hidden · the intermediate-layer term), warmup + cosine learning rate; returns the curve."""
    import torch
    from tqdm import tqdm

    from .qat import cosine_loss, hidden_loss

    rng = np.random.default_rng(hp["seed"])
    groups = [{"params": [p for n, p in student.named_parameters() if not n.startswith("log_s.")], "lr": hp["lr"]}]
    if len(student.log_s):
        groups.append({"params": list(student.log_s.parameters()), "lr": hp["lr_scales"]})
    opt = torch.optim.Adam(groups)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: lr_factor(s, hp))
    w_fp32 = minilm.load_weights() if hp.get("hidden") else None
    curve = []

    def heldout(step):
        emb = student.pipeline().encode_tokens(held_tokens)
        cos = float(np.mean(np.sum(emb * held_teacher, axis=1)))
        curve.append({"step": step, "heldout_cos": cos})
        return cos

    cos0 = heldout(0)
    bar = tqdm(range(1, hp["steps"] + 1), desc="qat", unit="step", file=sys.stderr, mininterval=5)
    t0 = time.time()
    for step in bar:
        rows = rng.choice(len(tokens), size=hp["batch"], replace=False)
        opt.zero_grad()
        pipe = student.pipeline()  # this step's weight words, shared by the batch's length groups
        total = 0.0
        for b in minilm.make_batches([tokens[i] for i in rows], max_tokens=1 << 20):
            emb, _ = student(b, pipe)
            tb = minilm.Batch(index=rows[b.index], ids=b.ids, lengths=b.lengths)
            loss = cosine_loss(emb, teacher[tb.index])
            if hp.get("hidden"):
                loss = loss + hp["hidden"] * hidden_loss(student.hidden, teacher_hidden(w_fp32, tb))
            loss = loss * (len(b.index) / hp["batch"])
            loss.backward()
            total += loss.item()
        opt.step()
        sched.step()
        rec = {"step": step, "loss": total, "s_per_step": (time.time() - t0) / step}
        if step % hp["eval_every"] == 0 or step == hp["steps"]:
            rec["heldout_cos"] = heldout(step)
            curve.pop()
            bar.set_postfix(loss=f"{total:.4f}", cos=f"{rec['heldout_cos']:.4f}")
        curve.append(rec)
    log(f"qat: held-out cos {cos0:.4f} -> {curve[-1].get('heldout_cos', float('nan')):.4f} in {hp['steps']} steps")
    return curve


LAYER_FIELDS = tuple(f.name for f in fields(minilm.Layer))
TOP_FIELDS = tuple(f.name for f in fields(minilm.Weights) if f.name != "layers")


def cache_paths(key):
    base = os.path.join(QAT_DIR, f"qat-{key}")
    return base + ".npz", base + ".json"


def load(key):
    """(trained minilm.Weights, exported words, info) from the cache, or None."""
    npz, js = cache_paths(key)
    if not (os.path.isfile(npz) and os.path.isfile(js)):
        return None
    with np.load(npz) as z:
        arrs = {k: z[k] for k in z.files}
    w = minilm.Weights(**{k: arrs[f"w/{k}"] for k in TOP_FIELDS},
                       layers=tuple(minilm.Layer(**{k: arrs[f"w/{l}.{k}"] for k in LAYER_FIELDS})
                                    for l in range(minilm.LAYERS)))
    words = {k[6:]: v for k, v in arrs.items() if k.startswith("words/")}
    with open(js) as f:
        return w, words, json.load(f)


def save(key, weights, words, info):
    os.makedirs(QAT_DIR, exist_ok=True)
    arrs = {f"w/{k}": getattr(weights, k) for k in TOP_FIELDS}
    for l, lw in enumerate(weights.layers):
        arrs.update({f"w/{l}.{k}": getattr(lw, k) for k in LAYER_FIELDS})
    arrs.update({f"words/{k}": v for k, v in words.items()})
    npz, js = cache_paths(key)
    np.savez(npz + ".tmp.npz", **arrs)
    os.replace(npz + ".tmp.npz", npz)
    with open(js, "w") as f:
        json.dump(info, f, indent=1)


def current_key(hp=None):
    """(key, calibration path, hp) of the QAT run the current code and settings would produce."""
    from .__main__ import CACHE, code_hash

    hp = dict(DEFAULTS, **(hp or {}))
    calib_path = os.path.join(CACHE, f"calibration-{code_hash()}.json")
    return qat_key(code_hash(), calib_path, data.training_texts(), hp), calib_path, hp


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m transformer.qat_train", description=__doc__.splitlines()[0])
    for k, v in DEFAULTS.items():
        ap.add_argument("--" + k.replace("_", "-"), type=type(v), default=v)
    args = ap.parse_args(argv)
    try:
        import torch
    except ImportError:
        print("qat: torch is not importable: run bash tools/setup_accuracy.sh (make qat puts it on PYTHONPATH)",
              file=sys.stderr)
        return 2
    torch.set_num_threads(int(os.environ.get("QAT_THREADS", "1")))
    torch.manual_seed(0)
    from .__main__ import CACHE, code_hash
    from .qat import Student

    hp = {k: getattr(args, k) for k in DEFAULTS}
    try:
        os.makedirs(CACHE, exist_ok=True)
        calib_path = os.path.join(CACHE, f"calibration-{code_hash()}.json")
        stats = calibrate.load_or_collect(calib_path)
        texts = data.training_texts()
    except (data.DataMissing, minilm.ModelMissing) as exc:
        print(f"qat: {exc}", file=sys.stderr)
        return 2
    key = qat_key(code_hash(), calib_path, texts, hp)
    if load(key) is not None:
        print(f"qat: trained words cached ({cache_paths(key)[0]})", file=sys.stderr)
        return 0
    t0 = time.time()
    tokens = minilm.tokenize(texts)
    held = minilm.tokenize(heldout_texts(hp["heldout"]))
    from .__main__ import cached
    os.makedirs(QAT_DIR, exist_ok=True)  # the FP32 targets depend on the code and the text only
    teacher = cached(os.path.join(QAT_DIR, f"teacher-{code_hash()}-{len(texts)}.npy"),
                     lambda: minilm.encode_tokens(tokens))
    held_teacher = minilm.encode_tokens(held)
    print(f"qat: {len(texts)} training texts, {sum(map(len, tokens))} tokens; {len(held)} held-out; "
          f"{hp['steps']} steps of {hp['batch']}", file=sys.stderr)
    student = Student(minilm.load_weights(), calibrate.scales_for(QAT, stats), lsq=bool(hp["lsq"]))
    curve = train(student, tokens, teacher, held, held_teacher, hp, log=lambda m: print(m, file=sys.stderr))
    pipe = student.pipeline()
    info = {"key": key, "hp": hp, "curve": curve, "wall_s": time.time() - t0, "train_texts": len(texts),
            "train_tokens": int(sum(map(len, tokens))), "torch": torch.__version__,
            "threads": torch.get_num_threads(),
            "learned_scales": {k.replace("_", ".", 1): float(torch.exp(v.detach())) for k, v in student.log_s.items()}}
    save(key, pipe.w, export_words(pipe), info)
    print(f"qat: wrote {cache_paths(key)[0]} ({info['wall_s']:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
