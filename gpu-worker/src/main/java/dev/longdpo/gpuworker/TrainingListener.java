package dev.longdpo.gpuworker;

import dev.longdpo.gpuworker.dpo.StepMetrics;
import dev.longdpo.protocol.training.CheckpointWritten;

/** What a gpu-worker reports, called from its thread; implementations return quickly. */
public interface TrainingListener {

  /**
   * The worker is ready to train.
   *
   * @param resumedFrom the checkpoint it resumed from (empty: a fresh start)
   * @param step optimizer steps already taken
   * @param streamOffset the offset of the first pair it asks for, in epoch {@code epoch}
   */
  default void started(String variant, String resumedFrom, long step, long streamOffset, int epoch) {}

  /**
   * The worker took a pause or resume: no step starts between the two (the one in flight, if any,
   * has finished when {@code paused} is reported). {@code step} is its step count then.
   */
  default void paused(String variant, boolean paused, long step) {}

  /** An optimizer step was taken (or skipped for a non-finite loss). */
  default void stepped(String variant, int epoch, StepMetrics metrics) {}

  /** Where training is, when asked ({@code GpuWorker.ReportProgress}); no step was taken. */
  default void progressed(String variant, long step, long nextOffset, int epoch) {}

  /**
   * An optimizer step was taken; {@code nextOffset} is the offset of the next pair. Calls {@link
   * #stepped(String, int, StepMetrics)} unless overridden.
   */
  default void stepped(String variant, int epoch, StepMetrics metrics, long nextOffset) {
    stepped(variant, epoch, metrics);
  }

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
