"""The pipeline on the real model: FP32 classes reproduce the FP32 forward; vsq4 runs bit-exact."""

SENTENCES = ["The committee postponed its decision until the next meeting.", "What a delightful little film!"]


def test_float_pipeline_is_the_fp32_forward(minilm_model):
    from transformer.config import Config
    from transformer.pipeline import Pipeline

    toks = minilm_model.tokenize(SENTENCES)
    ref = minilm_model.encode_tokens(toks)
    got = Pipeline(Config("f", quantized=())).encode_tokens(toks)
    assert (ref * got).sum(axis=1).min() > 0.999999


def test_vsq4_pipeline_self_checks_against_run_case(minilm_model):
    from transformer import calibrate
    from transformer.config import Config
    from transformer.pipeline import Pipeline

    stats = calibrate.collect(["A short calibration sentence about nothing in particular.", "Another one, longer, "
                               "with a few more words in it so that the statistics are not trivial at all."])
    cfg = Config("vsq4")
    pipe = Pipeline(cfg, calibrate.scales_for(cfg, stats))
    toks = minilm_model.tokenize(SENTENCES)
    emb = pipe.encode_tokens(toks)
    ref = minilm_model.encode_tokens(toks)
    assert pipe.check.checked == 2 * 6 and pipe.check.failed == 0
    assert pipe.stats["gemms"] == 5 * 6 and pipe.stats["mask_leaks"] == 0
    assert (emb * ref).sum(axis=1).min() > 0.5
