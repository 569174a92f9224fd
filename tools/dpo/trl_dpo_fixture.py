#!/usr/bin/env python3
"""TRL's own DPO loss on fixed log-prob tuples, for gpu-worker's DpoLossTest.

Runs the loss code of TRL's DPOTrainer (trl.trainer.dpo_trainer.DPOTrainer._compute_loss) on a
stand-in model whose logits give each completion exactly the summed log-prob listed below, with
precomputed reference log-probs, and records the loss and the metrics TRL logs (rewards/chosen,
rewards/rejected, rewards/margins, rewards/accuracies, logps/chosen, logps/rejected).

Which TRL loss: in TRL 1.x the "sigmoid" loss is plain -logsigmoid(beta * delta) and ignores
label_smoothing; the conservative (label-smoothed) form that TRL's "sigmoid" loss had before,
-logsigmoid(beta * delta) * (1 - eps) - logsigmoid(-beta * delta) * eps, lives on in its
"aot_unpaired" loss, which sorts the chosen and rejected log-ratios across the batch before
pairing them. With one pair per call the sort is the identity, so each label-smoothed pair is
scored alone with "aot_unpaired" and the batch mean is taken here.

Every log-prob is a multiple of 1/64, so the Java side (float32) receives exactly these inputs.

Needs torch and trl (a virtual environment outside the repository will do):
  python3 tools/dpo/trl_dpo_fixture.py gpu-worker/src/test/resources/fixtures/trl_dpo_loss.json
"""
import collections
import json
import sys
import types

import torch
import trl
from trl.trainer.dpo_trainer import DPOTrainer

# (policy chosen, policy rejected, reference chosen, reference rejected): summed log-probs.
PAIRS = [
    (-3.0, -4.0, -3.5, -3.75),  # chosen gained, rejected lost: margin 0.75
    (-12.515625, -9.25, -11.0, -10.125),  # the other way round: margin -2.390625
    (-0.5, -20.0, -0.5, -20.0),  # policy = reference: margin 0
    (-7.875, -6.0625, -8.0, -5.5),  # margin 0.6875
]
# A pair far from 0 margin, for the numerically stable form: margin 40.
FAR = [(-1.0, -45.0, -3.0, -7.0)]

CASES = [
    ("beta 0.1", 0.1, 0.0, PAIRS),
    ("beta 0.5", 0.5, 0.0, PAIRS),
    ("beta 0.1, label smoothing 0.2", 0.1, 0.2, PAIRS),
    ("beta 0.5, label smoothing 0.1", 0.5, 0.1, PAIRS),
    ("large margin, beta 0.5", 0.5, 0.0, FAR),
    ("large margin, beta 0.5, label smoothing 0.25", 0.5, 0.25, FAR),
]


class FixedLogits(torch.nn.Module):
    """A model whose logits at position 0 give token 1 the log-prob of its row."""

    def __init__(self, logps):
        super().__init__()
        self.logps = torch.tensor(logps, dtype=torch.float64)

    def forward(self, input_ids, **kwargs):
        n = input_ids.shape[0]
        logits = torch.zeros(n, 2, 2, dtype=torch.float64)
        # softmax([log(1 - e^lp), lp])[1] = e^lp exactly: the two probabilities sum to 1.
        logits[:, 0, 0] = torch.log1p(-torch.exp(self.logps))
        logits[:, 0, 1] = self.logps
        return types.SimpleNamespace(logits=logits)


def trl_loss(pairs, beta, label_smoothing, loss_type):
    """Runs TRL's loss on one batch; returns the loss and the metrics TRL logged."""
    policy = [p[0] for p in pairs] + [p[1] for p in pairs]  # the batch is [chosen..., rejected...]
    model = FixedLogits(policy)
    model.train()
    t = DPOTrainer.__new__(DPOTrainer)  # only the attributes _compute_loss reads
    t.model = model
    t.accelerator = types.SimpleNamespace(device="cpu", gather=lambda x: x, gather_for_metrics=lambda x: x)
    t.aux_loss_enabled = False
    t.ld_alpha = None
    t.precompute_ref_logps = True
    t.f_divergence_type = "reverse_kl"
    t.loss_types = [loss_type]
    t.loss_weights = [1.0]
    t.beta = beta
    t.label_smoothing = label_smoothing
    t.use_weighting = False
    t._metrics = {"train": collections.defaultdict(list), "eval": collections.defaultdict(list)}
    t._total_train_tokens = 0
    t._tp_size = 1
    n = len(policy)
    inputs = {
        "input_ids": torch.tensor([[0, 1]] * n),
        "attention_mask": torch.ones(n, 2, dtype=torch.long),
        "completion_mask": torch.tensor([[0, 1]] * n),
        "ref_chosen_logps": torch.tensor([p[2] for p in pairs], dtype=torch.float64),
        "ref_rejected_logps": torch.tensor([p[3] for p in pairs], dtype=torch.float64),
    }
    loss = DPOTrainer._compute_loss(t, model, inputs, return_outputs=False)
    metrics = {k: v[-1] for k, v in t._metrics["train"].items()}
    # The stand-in model must have produced exactly the log-probs asked for.
    assert abs(metrics["logps/chosen"] - sum(p[0] for p in pairs) / len(pairs)) < 1e-12
    return float(loss), metrics


def case(name, beta, label_smoothing, pairs):
    # Per pair: "sigmoid" without label smoothing, the conservative form ("aot_unpaired", alone)
    # with it.
    loss_type = "sigmoid" if label_smoothing == 0 else "aot_unpaired"
    per_pair = [trl_loss([p], beta, label_smoothing, loss_type)[0] for p in pairs]
    # Metrics from one call on the whole batch (they do not depend on the loss type).
    batch_loss, m = trl_loss(pairs, beta, label_smoothing, "sigmoid")
    mean = sum(per_pair) / len(per_pair)
    if label_smoothing == 0:
        assert abs(batch_loss - mean) < 1e-12
    return {
        "name": name,
        "beta": beta,
        "label_smoothing": label_smoothing,
        "trl_loss_type": loss_type,
        "policy_chosen": [p[0] for p in pairs],
        "policy_rejected": [p[1] for p in pairs],
        "reference_chosen": [p[2] for p in pairs],
        "reference_rejected": [p[3] for p in pairs],
        "per_pair_loss": per_pair,
        "loss": mean,
        "rewards_chosen": m["rewards/chosen"],
        "rewards_rejected": m["rewards/rejected"],
        "rewards_margins": m["rewards/margins"],
        "rewards_accuracies": m["rewards/accuracies"],
        "logps_chosen": m["logps/chosen"],
        "logps_rejected": m["logps/rejected"],
    }


def main(out):
    fixture = {
        "made_by": "tools/dpo/trl_dpo_fixture.py",
        "trl": trl.__version__,
        "torch": torch.__version__,
        "cases": [case(*c) for c in CASES],
    }
    with open(out, "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
