package dev.longdpo.actors.evaluator;

/** What an evaluator reports, called from its thread; implementations return quickly. */
public interface EvalListener {

  /** An evaluation starts ({@code queued} more wait). */
  default void started(CheckpointEvaluation.Target target, int tasks, int queued) {}

  /** Tasks sampled so far for the current evaluation. */
  default void progress(CheckpointEvaluation.Target target, int done) {}

  /** An evaluation finished and is written. */
  default void evaluated(EvalRecord record) {}

  /** An evaluation failed (a missing tokenizer, an unreadable checkpoint); the evaluator goes on. */
  default void failed(CheckpointEvaluation.Target target, Exception error) {}
}
