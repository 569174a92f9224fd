package dev.longdpo.gpuworker;

import dev.longdpo.gpuworker.dpo.DpoSettings;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What one gpu-worker trains.
 *
 * @param variant the model variant's name: the stream subscriber id and the checkpoints' prefix
 * @param start the model to start from: the base (also the reference), in Hugging Face layout
 * @param resumeFrom a checkpoint of this variant to resume from (model, optimizer, stream offset)
 * @param settings the trainer's settings
 * @param checkpointDir where this variant's checkpoints go ({@code <variant>-step-<n>})
 * @param scheduleSteps the cosine schedule's length: exact for a replay, an estimate for a live
 *     stream (past it the rate stays at its floor)
 * @param tokenBudget train until this many chosen + rejected tokens, replaying the stream as often
 *     as needed (the outcome baseline's equal budget); 0 trains {@code settings.epochs()} passes
 */
public record WorkerPlan(
    String variant,
    Path start,
    Optional<Path> resumeFrom,
    DpoSettings settings,
    Path checkpointDir,
    int scheduleSteps,
    long tokenBudget) {

  /** Validates the name (it becomes directory names). */
  public WorkerPlan {
    if (!variant.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException("variant '" + variant + "': letters, digits, '.', '_' and '-' only");
    }
  }
}
