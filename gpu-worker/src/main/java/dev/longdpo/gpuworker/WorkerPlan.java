package dev.longdpo.gpuworker;

import dev.longdpo.gpuworker.dpo.DpoSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * What one gpu-worker trains.
 *
 * @param variant the model variant's name: the stream subscriber id and the checkpoints' prefix
 * @param start the model to start from: the base (also the reference), in Hugging Face layout
 * @param resumeFrom a checkpoint of this variant to resume from (model, optimizer, schedule,
 *     stream offset, counters); one marked finished ends the worker at once
 * @param settings the trainer's settings
 * @param checkpointDir where this variant's checkpoints go ({@code <variant>-step-<n>})
 * @param scheduleSteps the cosine schedule's length: exact for a replay, an estimate for a live
 *     stream (past it the rate stays at its floor); a resumed checkpoint's own length wins
 * @param tokenBudget train until this many chosen + rejected tokens, replaying the stream as often
 *     as needed (the outcome baseline's equal budget); 0 trains {@code settings.epochs()} passes
 * @param checkpointInterval also write a checkpoint once this much time passed since the last one
 *     (zero: by steps only)
 * @param streamRetry subscribe again from the worker's offset when no pairs came for this long
 *     while it waits for some (a lost message, a stream owner that moved)
 * @param guard checked before every checkpoint write; throwing stops the worker (another worker
 *     now owns the variant)
 * @param hold a test hook: stop stepping once a checkpoint at this step is written
 */
public record WorkerPlan(
    String variant,
    Path start,
    Optional<Path> resumeFrom,
    DpoSettings settings,
    Path checkpointDir,
    int scheduleSteps,
    long tokenBudget,
    Duration checkpointInterval,
    Duration streamRetry,
    Guard guard,
    Hold hold) {

  /** Checked before a checkpoint is written. */
  @FunctionalInterface
  public interface Guard {
    /** No check. */
    Guard NONE = () -> {};

    /** Throws if this worker may no longer write the variant's checkpoints. */
    void check() throws IOException;
  }

  /**
   * Stop stepping after the checkpoint at {@code atStep} is written, and call {@code reached}.
   */
  public record Hold(long atStep, Runnable reached) {
    /** Never. */
    public static final Hold NEVER = new Hold(-1, () -> {});
  }

  /** How long a waiting worker goes without pairs before it subscribes again, by default. */
  public static final Duration DEFAULT_STREAM_RETRY = Duration.ofSeconds(10);

  /** Validates the name (it becomes directory names). */
  public WorkerPlan {
    if (!variant.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException("variant '" + variant + "': letters, digits, '.', '_' and '-' only");
    }
  }

  /** A plan checkpointing by steps only, retrying the stream after 10 s, without guard or hold. */
  public WorkerPlan(String variant, Path start, Optional<Path> resumeFrom, DpoSettings settings, Path checkpointDir,
      int scheduleSteps, long tokenBudget) {
    this(variant, start, resumeFrom, settings, checkpointDir, scheduleSteps, tokenBudget, Duration.ZERO,
        DEFAULT_STREAM_RETRY, Guard.NONE, Hold.NEVER);
  }

  /**
   * The schedule's length for a live search over {@code prompts} prompts, before any pair exists:
   * the demo's prompt mix yields about 5 pairs a prompt (measured).
   */
  public static int estimatedScheduleSteps(int prompts, DpoSettings s) {
    return (int) Math.max(1, Math.ceil(5.0 * prompts * s.epochs() / s.batchPairs()));
  }

  /**
   * The schedule's exact length for a stream complete from the start: {@code pairs} pairs of
   * {@code tokensPerPair} chosen + rejected tokens on average, trained for the settings' epochs or,
   * with a token budget, for as many passes as the budget buys.
   */
  public static int replayScheduleSteps(long pairs, double tokensPerPair, DpoSettings s, long tokenBudget) {
    double passes = tokenBudget > 0 ? tokenBudget / Math.max(1.0, pairs * tokensPerPair) : s.epochs();
    return (int) Math.max(1, Math.ceil(pairs * passes / s.batchPairs()));
  }
}
