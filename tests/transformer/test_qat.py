"""The QAT student (transformer/qat.py) against the bit-exact pipeline. Needs torch (the accuracy
environment, make qat's PYTHONPATH) and the model: skipped in make test's environment."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import models  # noqa: E402
from transformer import calibrate, minilm, qat, qat_train  # noqa: E402
from transformer.pipeline import Pipeline  # noqa: E402

TEXTS = ["The river rose overnight and cut the town off.", "Markets fell sharply.",
         "Officials say the talks will resume next week after a short break in the capital."]


@pytest.fixture(scope="module")
def setup(minilm_model):
    torch.set_num_threads(1)
    stats = calibrate.collect(texts=TEXTS)
    scales = calibrate.scales_for(qat.QAT, stats)
    batches = minilm.make_batches(minilm.tokenize(TEXTS))
    return scales, batches


def _trained_student(scales, batches):
    """A student after two optimizer steps (weights off the FP32 ones, as after training)."""
    student = qat.Student(minilm.load_weights(), scales)
    opt = torch.optim.Adam(student.parameters(), lr=1e-3)
    teacher = minilm.encode_tokens(minilm.tokenize(TEXTS))
    for _ in range(2):
        opt.zero_grad()
        for b in batches:
            emb, _ = student(b)
            qat.cosine_loss(emb, teacher[b.index]).backward()
        opt.step()
    return student


def test_exact_is_the_value_forward_and_the_identity_backward():
    s = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = qat.exact(s * 2, np.array([0.5, -1.0, 7.25], dtype=np.float32))
    assert torch.equal(y, torch.tensor([0.5, -1.0, 7.25]))
    (y * torch.tensor([1.0, 10.0, 100.0])).sum().backward()
    assert torch.equal(s.grad, torch.tensor([2.0, 20.0, 200.0]))


def test_student_values_and_words_are_the_pipelines_on_the_exported_words(setup):
    scales, batches = setup
    student = _trained_student(scales, batches)
    pipe = student.pipeline()
    words = qat_train.export_words(pipe)
    w = student.weights()
    # the words are models.vsquant's (one owner of the formula), of the trained float weights
    ref = models.vsquant(w.layers[2].w1, 64, 4, axis=-1, coarse="channel")
    assert np.array_equal(words["2.w1/q"], ref["q"]) and np.array_equal(words["2.w1/s"], ref["sq"])
    assert not np.array_equal(w.layers[2].w1, minilm.load_weights().layers[2].w1)  # training moved them
    fresh = qat_train.load_words(Pipeline(qat.QAT, scales, weights=w), words)  # with the self-check
    for b in batches:
        ops_student, ops_fresh = [], []
        pipe.on_gemm = lambda l, n, sl: ops_student.append((l, n, sl.case(0)))
        fresh.on_gemm = lambda l, n, sl: ops_fresh.append((l, n, sl.case(0)))
        emb, _ = student(b, pipe)
        ref_emb = fresh.forward(b)
        # identical integer operand words of every GEMM (A and B words, scales, g/sh/bias) ...
        assert len(ops_student) == len(ops_fresh) == minilm.LAYERS * 7
        for (l, n, c), (l2, n2, c2) in zip(ops_student, ops_fresh):
            assert (l, n) == (l2, n2)
            assert all(np.array_equal(c[k], c2[k]) for k in ("a_q", "a_s", "b_q", "b_s", "g", "bias")), (l, n)
        # ... and the embeddings bit for bit: every student value is the pipeline's (qat.py docstring)
        assert np.array_equal(emb.detach().numpy(), ref_emb.astype(np.float32))
    assert fresh.check.checked > 0 and fresh.check.failed == 0


def test_every_parameter_that_is_used_gets_a_gradient(setup):
    scales, batches = setup
    student = qat.Student(minilm.load_weights(), scales)
    teacher = minilm.encode_tokens(minilm.tokenize(TEXTS))
    for b in batches:
        emb, _ = student(b)
        qat.cosine_loss(emb, teacher[b.index]).backward()
    for l, p in enumerate(student.layers):
        for k, v in p.items():
            if k == "bk":  # K's bias is softmax-invariant: the pipeline drops it (exact)
                continue
            assert v.grad is not None and torch.isfinite(v.grad).all() and v.grad.abs().sum() > 0, (l, k)
