package dev.longdpo.cli;

import dev.longdpo.cli.node.NodeProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The node JVMs a test starts ({@code @RegisterExtension}): each on loopback with any free ports,
 * its output in the test's directory, and all killed when the test ends, whatever its outcome.
 */
final class NodeJvms implements AfterEachCallback {

  private final List<NodeProcess> nodes = new ArrayList<>();

  /** Starts {@code longdpo node} (see {@link NodeProcess#startNode}) and keeps it for the kill. */
  NodeProcess start(Path dir, String name, String heap, Path root, String roles, String seed, String... extra)
      throws IOException {
    NodeProcess p = NodeProcess.startNode(dir, name, heap, root, roles, seed, extra);
    nodes.add(p);
    return p;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    for (NodeProcess n : nodes) {
      n.kill();
    }
    nodes.clear();
  }
}
