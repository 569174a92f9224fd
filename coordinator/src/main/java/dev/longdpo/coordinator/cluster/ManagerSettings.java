package dev.longdpo.coordinator.cluster;

import com.typesafe.config.Config;
import dev.longdpo.config.Validate;
import java.nio.file.Path;

/**
 * The run manager's settings ({@code longdpo.node} and {@code longdpo.cluster}).
 *
 * @param runRoot the shared directory holding every run
 * @param treeAttempts how many times a prompt is searched before it is marked failed
 * @param hookRun the run the test hooks apply to ("" none)
 * @param holdAfterTrees coordinator hook: after this many trees of {@code hookRun}, hold
 */
record ManagerSettings(Path runRoot, int treeAttempts, String hookRun, int holdAfterTrees) {

  static ManagerSettings create(Config c) {
    return new ManagerSettings(
        Validate.path(c, "longdpo.node.run-root"),
        Validate.intInRange(c, "longdpo.cluster.tree-attempts", 1, 100),
        c.getString("longdpo.node.hooks.run"),
        Validate.intInRange(c, "longdpo.node.hooks.hold-after-trees", 0, 1_000_000));
  }
}
