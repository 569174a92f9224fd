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

  /** A listener that ignores everything. */
  RunListener NONE = new RunListener() {};
}
