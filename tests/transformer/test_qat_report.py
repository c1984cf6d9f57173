"""The QAT section of the accuracy report: goal verdicts from the metrics, the recipe from the run's own record."""

from transformer import qat_report

HP = {"steps": 800, "batch": 16, "lr": 1e-4, "seed": 0, "warmup": 40, "hidden": 1.0, "lsq": 1, "lr_scales": 1e-3,
      "heldout": 96}


def _info(**hp):
    return {"hp": dict(HP, **hp), "train_texts": 2154, "train_tokens": 64638, "torch": "2.13.0", "threads": 1,
            "wall_s": 600.0, "learned_scales": {"0.q": 0.01, "0.k": 0.02},
            "curve": [{"step": 0, "heldout_cos": 0.89}, {"step": 1, "loss": 0.1, "s_per_step": 3.0},
                      {"step": 2, "loss": 0.09, "s_per_step": 3.0, "heldout_cos": 0.95}]}


def _metrics(qat_acc, cos):
    return {"fp32": {"mr_acc_fp32_probe": 0.75}, "vsq4_qat": {"mr_acc_fp32_probe": qat_acc, "cos_mean": cos,
                                                             "mr_acc_fp32_probe_diff_ci": (-0.01, 0.0)}}


def test_goal_verdicts_follow_the_metrics():
    met = qat_report.section(_info(), _metrics(0.745, 0.975))
    assert met.count("**met**") == 2 and "drop 0.5 points" in met
    missed = qat_report.section(_info(), _metrics(0.735, 0.965))
    assert missed.count("**not met**") == 2 and "drop 1.5 points" in missed


def test_recipe_line_is_the_runs_hyperparameters():
    text = qat_report.section(_info(), {})
    assert "1 × the intermediate-layer term" in text and "2 coarse scales learned" in text
    assert "40 warmup steps" in text and "0.8900 at step 0 → 0.9500 at step 2" in text
    plain = qat_report.section(_info(hidden=0.0, lsq=0, warmup=0), {})
    assert "intermediate" not in plain and "coarse scales fixed" in plain
