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


def test_lsq_scale_gradient_is_the_rounding_error_over_gamma_and_leaves_the_value(setup):
    scales, _ = setup
    student = qat.Student(minilm.load_weights(), scales, lsq=True)
    assert "0_x_qkv" in student.log_s and "0_v" not in student.log_s  # V: int8 per channel, fixed
    g = torch.exp(student.log_s["0_q"].detach()).item()
    pre = torch.tensor([0.30, -0.11, 7 * 255 * g * 2], dtype=torch.float32, requires_grad=True)
    value = np.array([0.25, -0.125, 7 * 255 * g], dtype=np.float32)  # the last one clipped
    y = qat.exact(student.lsq(pre, value, 0, "q"), value)
    assert np.array_equal(y.detach().numpy(), value)
    y.sum().backward()
    want = ((value[0] - 0.30) + (value[1] + 0.11) + value[2]) / g * g  # ∂/∂log γ = γ · ∂/∂γ
    assert np.isclose(float(student.log_s["0_q"].grad), want, rtol=1e-5)
    assert torch.equal(pre.grad, torch.ones(3))  # the input keeps its straight-through gradient


def test_learned_scales_stay_bit_exact_and_get_gradients(setup):
    scales, batches = setup
    student = qat.Student(minilm.load_weights(), scales, lsq=True)
    with torch.no_grad():
        student.log_s["1_ffn1_out"] += 0.05  # a moved scale: the pipeline folds it into g/sh
    cur = student.current_scales()
    assert cur["1.ffn1_out"] != scales["1.ffn1_out"] and cur["1.v"] is scales["1.v"]
    teacher = minilm.encode_tokens(minilm.tokenize(TEXTS))
    fresh = Pipeline(qat.QAT, cur, weights=student.weights())
    for b in batches:
        emb, _ = student(b)
        assert np.array_equal(emb.detach().numpy(), fresh.forward(b).astype(np.float32))
        qat.cosine_loss(emb, teacher[b.index]).backward()
    assert all(p.grad is not None and torch.isfinite(p.grad) for p in student.log_s.values())
    assert sum(float(p.grad.abs()) > 0 for p in student.log_s.values()) > len(student.log_s) // 2


def test_hidden_loss_is_zero_on_the_teacher_and_the_student_hidden_are_its_layers(setup):
    _, batches = setup
    student = qat.Student(minilm.load_weights(), setup[0])
    b = batches[0]
    student(b)
    t = qat_train.teacher_hidden(minilm.load_weights(), b)
    assert len(student.hidden) == len(t) == minilm.LAYERS - 1
    assert float(qat.hidden_loss([torch.as_tensor(x) for x in t], t)) == 0.0
    loss = qat.hidden_loss(student.hidden, t)
    assert 0 < loss.item() < 1  # 4-bit student vs FP32: off, but not unrelated
    loss.backward()
    assert student.layers[0]["w1"].grad.abs().sum() > 0
