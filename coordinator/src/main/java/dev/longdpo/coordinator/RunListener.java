package dev.longdpo.coordinator;

/**
 * Hears a run's progress (a command draws a progress bar). Called from the coordinator's thread:
 * implementations return at once.
 */
public interface RunListener {

  /** A prompt's search finished. */
  default void treeFinished(int completed, int total, long pairs) {}

  /** The run is over. */
  default void runFinished(RunSummary summary) {}

  /** A prompt's tree failed; it is searched again (this was attempt {@code attempt}). */
  default void treeRetried(String promptId, int attempt, String reason) {}

  /** A prompt's tree failed on its last attempt: the prompt is marked failed. */
  default void promptFailed(String promptId, int attempts, String reason) {}

  /** A tree's request went to another worker because its worker was lost. */
  default void treeRerouted(String promptId) {}

  /** The run cannot go on (its pair log cannot be written); the coordinator stops after this. */
  default void runFailed(String reason) {}

  /** A listener that ignores everything. */
  RunListener NONE = new RunListener() {};
}
