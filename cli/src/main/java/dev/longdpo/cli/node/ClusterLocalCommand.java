package dev.longdpo.cli.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longdpo.cli.BadInputException;
import dev.longdpo.cli.ExitCodes;
import dev.longdpo.config.files.AtomicFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code longdpo cluster local}: N node processes on loopback, started from this program's own
 * class path, with a role split that survives the loss of any one node from three nodes up.
 */
@Command(name = "local", mixinStandardHelpOptions = true,
    description = {"Start N node processes on loopback and wait until all are Up; print the control endpoint,",
        "pids and log files. --stop stops the cluster in DIR cleanly (SIGTERM, then waits).",
        "Roles: one node has every role; two: coordinator+search and search; three or more: two",
        "coordinator+search nodes (the run manager survives losing either) and search nodes."})
public final class ClusterLocalCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Option(names = "--nodes", defaultValue = "3", paramLabel = "<n>", description = "How many nodes (1 to 16; default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--dir", defaultValue = "local-cluster", paramLabel = "<dir>",
      description = "Where the run root, node logs and cluster.json go (default ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--heap", defaultValue = "1g", paramLabel = "<size>", description = "Heap limit per node (-Xmx; default ${DEFAULT-VALUE}).")
  String heap;

  @Option(names = "--stop", description = "Stop the cluster recorded in DIR/cluster.json.")
  boolean stop;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    return stop ? stop(out) : start(out);
  }

  /**
   * Node {@code index}'s roles: every node searches and trains; the first two (one of two) may
   * hold the run manager, the last two evaluate (one stands by), so a run survives the loss of
   * any one node of three.
   */
  static List<String> roles(int index, int count) {
    if (count == 1) {
      return List.of("coordinator", "search", "trainer", "evaluator");
    }
    List<String> roles = new java.util.ArrayList<>();
    if (index < (count >= 3 ? 2 : 1)) {
      roles.add("coordinator");
    }
    roles.add("search");
    roles.add("trainer");
    if (index >= count - 2) {
      roles.add("evaluator");
    }
    return roles;
  }

  private int start(PrintWriter out) throws Exception {
    if (nodes < 1 || nodes > 16) {
      throw new BadInputException("--nodes " + nodes + ": 1 to 16");
    }
    if (!heap.matches("\\d+[mMgG]")) {
      throw new BadInputException("--heap " + heap + ": a size such as 768m or 1g");
    }
    Path record = dir.resolve("cluster.json");
    if (Files.exists(record) && anyAlive(record)) {
      throw new BadInputException(record + ": a cluster started there is still running (--stop it first)");
    }
    Files.createDirectories(dir);
    Path root = dir.resolve("root").toAbsolutePath();
    List<NodeProcess> started = new ArrayList<>();
    String seed = null;
    try {
      for (int i = 0; i < nodes; i++) {
        NodeProcess p = NodeProcess.startNode(dir, "node-" + (i + 1), heap, root, String.join(",", roles(i, nodes)), seed);
        started.add(p);
        NodeProcess.Up up = p.awaitUp(Duration.ofSeconds(120));
        if (seed == null) {
          seed = "127.0.0.1:" + up.clusterPort();
        }
        out.printf("node-%d  pid %d  %s  roles %s  control %s  metrics %s  health %s  log %s%n", i + 1, p.pid(),
            up.address(), String.join(",", roles(i, nodes)), up.control(), up.metrics(), up.management(), up.log());
        out.flush();
      }
    } catch (IOException | RuntimeException e) {
      for (NodeProcess p : started) {
        p.kill();
      }
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return ExitCodes.FAILURE;
    }
    ArrayNode list = JSON.createArrayNode();
    for (NodeProcess p : started) {
      NodeProcess.Up up = p.awaitUp(Duration.ZERO);
      ObjectNode n = list.addObject();
      n.put("pid", p.pid());
      n.put("address", up.address());
      n.put("control", up.control());
      n.put("metrics", up.metrics());
      n.put("management", up.management());
      n.put("log", up.log());
      n.put("out", p.output().toString());
    }
    ObjectNode all = JSON.createObjectNode();
    all.put("run_root", root.toString());
    all.set("nodes", list);
    AtomicFile.writeString(record, JSON.writeValueAsString(all));
    out.println("cluster up: " + nodes + " nodes; control endpoint " + started.get(0).awaitUp(Duration.ZERO).control()
        + " (any node's works); run root " + root);
    out.println("  ./longdpo ctl --endpoint " + started.get(0).awaitUp(Duration.ZERO).control() + " nodes");
    out.println("  ./longdpo cluster local --stop --dir " + dir);
    return ExitCodes.OK;
  }

  private static boolean anyAlive(Path record) throws IOException {
    for (JsonNode n : JSON.readTree(Files.readString(record)).get("nodes")) {
      if (ProcessHandle.of(n.get("pid").asLong()).map(ProcessHandle::isAlive).orElse(false)) {
        return true;
      }
    }
    return false;
  }

  private int stop(PrintWriter out) throws Exception {
    Path record = dir.resolve("cluster.json");
    if (!Files.exists(record)) {
      throw new BadInputException(record + ": no cluster recorded there");
    }
    // Search nodes first, coordinators last: the run manager moves at most once.
    List<JsonNode> nodesInOrder = new ArrayList<>();
    JSON.readTree(Files.readString(record)).get("nodes").forEach(nodesInOrder::add);
    java.util.Collections.reverse(nodesInOrder);
    for (JsonNode n : nodesInOrder) {
      Optional<ProcessHandle> h = ProcessHandle.of(n.get("pid").asLong());
      if (h.isPresent() && h.get().isAlive()) {
        h.get().destroy(); // SIGTERM: coordinated shutdown leaves the cluster
        h.get().onExit().get(60, TimeUnit.SECONDS);
        out.println("stopped pid " + n.get("pid").asLong() + " (" + n.get("address").asText() + ")");
      }
    }
    Files.delete(record);
    out.println("cluster in " + dir + " stopped");
    return ExitCodes.OK;
  }
}
