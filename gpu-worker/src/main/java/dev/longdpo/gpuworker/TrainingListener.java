package dev.longdpo.gpuworker;

import dev.longdpo.gpuworker.dpo.StepMetrics;
import dev.longdpo.protocol.training.CheckpointWritten;

/** What a gpu-worker reports, called from its thread; implementations return quickly. */
public interface TrainingListener {

  /** An optimizer step was taken (or skipped for a non-finite loss). */
  default void stepped(String variant, int epoch, StepMetrics metrics) {}

  /** A checkpoint was written. */
  default void checkpointed(CheckpointWritten checkpoint) {}

  /** Training finished; the last checkpoint is written. */
  default void finished(String variant, TrainingSummary summary) {}

  /** Training stopped on an error; the last good checkpoint (if any) is intact. */
  default void failed(String variant, Exception error) {}

  /**
   * The end of a worker's training.
   *
   * @param steps optimizer steps taken
   * @param skippedSteps steps skipped for a non-finite loss
   * @param recomputedSteps steps whose gradient was non-finite once and was computed again
   * @param pairs pairs trained on (over all epochs)
   * @param trainedTokens chosen + rejected tokens trained on
   * @param epochs passes started over the stream
   * @param seconds wall time from the first pair to the last checkpoint
   * @param trainSeconds of which in optimizer steps
   * @param lastCheckpoint the final checkpoint
   */
  record TrainingSummary(
      long steps, long skippedSteps, long recomputedSteps, long pairs, long trainedTokens, int epochs, double seconds, double trainSeconds,
      CheckpointWritten lastCheckpoint) {}
}
