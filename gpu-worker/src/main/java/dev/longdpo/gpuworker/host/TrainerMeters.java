package dev.longdpo.gpuworker.host;

import dev.longdpo.actors.metrics.NodeMeters;
import dev.longdpo.gpuworker.TrainingListener;
import dev.longdpo.gpuworker.dpo.StepMetrics;
import dev.longdpo.protocol.training.CheckpointWritten;

/**
 * A trainer's steps as the node's meters, per variant: steps and trained tokens (counters), the
 * last step's loss, TRL's reward metrics, learning rate and stream offset (gauges), checkpoints
 * written. Called from the worker's thread.
 */
final class TrainerMeters implements TrainingListener {

  /** A variant's trainer, its counters shown from 0 (an alert on skipped steps needs the series). */
  TrainerMeters(String variant) {
    NodeMeters.count("longdpo.train.steps", 0, "variant", variant);
    NodeMeters.count("longdpo.train.steps.skipped", 0, "variant", variant);
    NodeMeters.count("longdpo.train.checkpoints", 0, "variant", variant);
  }

  @Override
  public void stepped(String variant, int epoch, StepMetrics m, long nextOffset) {
    NodeMeters.count("longdpo.train.steps", 1, "variant", variant);
    NodeMeters.set("longdpo.train.loss", m.loss(), "variant", variant);
    NodeMeters.set("longdpo.train.dpo.loss", m.dpoLoss(), "variant", variant);
    NodeMeters.set("longdpo.train.nll.loss", m.nllLoss(), "variant", variant);
    NodeMeters.set("longdpo.train.rewards.chosen", m.rewardsChosen(), "variant", variant);
    NodeMeters.set("longdpo.train.rewards.rejected", m.rewardsRejected(), "variant", variant);
    NodeMeters.set("longdpo.train.rewards.margins", m.rewardsMargin(), "variant", variant);
    NodeMeters.set("longdpo.train.rewards.accuracies", m.rewardsAccuracy(), "variant", variant);
    NodeMeters.set("longdpo.train.learning.rate", m.learningRate(), "variant", variant);
    NodeMeters.set("longdpo.train.trained.tokens", m.trainedTokens(), "variant", variant);
    NodeMeters.set("longdpo.train.stream.offset", nextOffset, "variant", variant);
    if (m.skipped()) {
      NodeMeters.count("longdpo.train.steps.skipped", 1, "variant", variant);
    }
  }

  @Override
  public void checkpointed(CheckpointWritten c) {
    NodeMeters.count("longdpo.train.checkpoints", 1, "variant", c.variant());
  }
}
