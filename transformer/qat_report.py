"""The QAT part of the accuracy report (issue 18): goals of vsq4_qat, the training run, the training curve."""

import os

QAT_GOAL = {"mr_drop_max": 0.007, "cos_mean_min": 0.97}


def curve_plot(out, info):
    """training_curve.png: the loss of every step and the held-out cosine (bit-exact pipeline) per evaluation."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    curve = info["curve"]
    fig, ax = plt.subplots(figsize=(7, 4))
    steps = [r["step"] for r in curve if "loss" in r]
    ax.plot(steps, [r["loss"] for r in curve if "loss" in r], color="#c63", lw=0.8, label="training loss")
    ax.set_xlabel("step")
    ax.set_ylabel("training loss")
    ax2 = ax.twinx()
    ev = [r for r in curve if "heldout_cos" in r]
    ax2.plot([r["step"] for r in ev], [r["heldout_cos"] for r in ev], "o-", color="#36c", label="held-out cos")
    ax2.axhline(QAT_GOAL["cos_mean_min"], ls="--", color="k", lw=1)
    ax2.set_ylabel("held-out mean cosine to FP32")
    fig.legend(loc="center right", fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "training_curve.png"), dpi=110)
    plt.close(fig)
    return "training_curve.png"


def _loss(hp):
    h = hp.get("hidden", 0)
    return "1 − cos of the embeddings" + (f" + {h:g} × the intermediate-layer term" if h else "")


def _scales(hp, info):
    if hp.get("lsq"):
        return (f"{len(info.get('learned_scales', {}))} coarse scales learned LSQ-style "
                f"(Adam lr {hp['lr_scales']:g} on log γ)")
    return "coarse scales fixed (FP32 calibration)"


def section(info, metrics, name="vsq4_qat", fp32="fp32"):
    """Markdown: the goals of vsq4_qat and how it was trained."""
    hp, curve = info["hp"], info["curve"]
    ev = [r for r in curve if "heldout_cos" in r]
    steps = [r for r in curve if "s_per_step" in r]
    lines = []
    if name in metrics and fp32 in metrics and "mr_acc_fp32_probe" in metrics[name]:
        m, f = metrics[name], metrics[fp32]
        drop = f["mr_acc_fp32_probe"] - m["mr_acc_fp32_probe"]
        ci = m.get("mr_acc_fp32_probe_diff_ci")
        ci_s = f" (95 % CI of the difference [{100 * ci[0]:+.1f}, {100 * ci[1]:+.1f}])" if ci else ""
        lines += [
            f"- vsq4_qat MR-4000, FP32 probe: {100 * m['mr_acc_fp32_probe']:.1f} % vs FP32 "
            f"{100 * f['mr_acc_fp32_probe']:.1f} %, drop {100 * drop:.1f} points{ci_s}; goal ≤ 0.7: "
            f"**{'met' if drop <= QAT_GOAL['mr_drop_max'] else 'not met'}**.",
            f"- vsq4_qat cos_mean {m['cos_mean']:.4f}; goal ≥ 0.97: "
            f"**{'met' if m['cos_mean'] >= QAT_GOAL['cos_mean_min'] else 'not met'}**.",
        ]
    lines += [
        f"- Trained by distillation from FP32 ({_loss(hp)}) on {info['train_texts']} sentences, "
        f"{info['train_tokens']} tokens (gensim's lee_background.cor, none in calibration or evaluation): "
        f"{hp['steps']} steps of {hp['batch']} sentences, Adam lr {hp['lr']:g} ({hp.get('warmup', 0)} warmup steps, "
        f"then cosine-decayed), {_scales(hp, info)}, seed {hp['seed']}, "
        f"torch {info['torch']} with {info['threads']} thread(s).",
        f"- Wall time {info['wall_s'] / 60:.1f} min ({steps[-1]['s_per_step']:.2f} s per step)." if steps else "",
        f"- Held-out cosine (bit-exact pipeline, {hp['heldout']} calibration sentences): "
        f"{ev[0]['heldout_cos']:.4f} at step 0 → {ev[-1]['heldout_cos']:.4f} at step {ev[-1]['step']}." if ev else "",
    ]
    return "\n".join(x for x in lines if x)
