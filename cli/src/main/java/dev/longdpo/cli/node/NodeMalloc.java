package dev.longdpo.cli.node;

import dev.longdpo.model.runtime.SiblingJvm;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a node says in its log about the malloc settings it started with: glibc reads them from the
 * environment once, so a node cannot change them after it starts, and a trainer-only node started
 * without training's settings trains its steps more slowly (bench P13) without any other sign.
 */
final class NodeMalloc {

  private NodeMalloc() {}

  /** The log line for a node of {@code roles} started with {@code env}. */
  static String describe(List<String> roles, Map<String, String> env) {
    Map<String, String> seen = new TreeMap<>();
    env.forEach((k, v) -> {
      if (k.startsWith("MALLOC_") || k.equals("GLIBC_TUNABLES")) {
        seen.put(k, v);
      }
    });
    String settings = seen.isEmpty() ? "glibc's defaults" : seen.toString();
    boolean trainsOnly = NodeProcess.trainsOnly(String.join(",", roles));
    boolean training = SiblingJvm.trainingMallocSettings().entrySet().stream()
        .allMatch(e -> e.getValue().equals(env.get(e.getKey())));
    if (trainsOnly && !training) {
      return "malloc settings " + settings + ": this node only trains, and training's settings "
          + SiblingJvm.trainingMallocSettings() + " would run its steps faster (./longdpo sets them for"
          + " `node --roles trainer`; docs/footprint.md)";
    }
    return "malloc settings " + settings + (training ? " (training's)" : "");
  }
}
