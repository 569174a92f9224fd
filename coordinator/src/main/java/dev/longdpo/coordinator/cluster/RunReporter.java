package dev.longdpo.coordinator.cluster;

import java.nio.file.Path;

/**
 * Writes the report of a run of the demo's job into its directory once everything is evaluated
 * ({@code report.json}, {@code report.html}, ...), from the run's files alone. Given to the run
 * manager by whoever starts the node (the report's renderers live with the command line). Called
 * on a blocking thread; must be idempotent (a manager that takes over may write it again) and
 * leave nothing half-written.
 */
@FunctionalInterface
public interface RunReporter {

  /** Writes the report of the finished run in {@code runDir}; throws naming what is missing. */
  void write(Path runDir) throws Exception;
}
