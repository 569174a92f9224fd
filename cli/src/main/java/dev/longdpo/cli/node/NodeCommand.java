package dev.longdpo.cli.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import dev.longdpo.actors.host.RunRootMarker;
import dev.longdpo.cli.ExitCodes;
import dev.longdpo.cli.GlobalOptions;
import dev.longdpo.protocol.cluster.RunManagerProtocol;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Starts a cluster node with the given roles and runs until stopped (SIGTERM leaves cleanly). */
@Command(
    mixinStandardHelpOptions = true,
    name = "node",
    description = {
      "Start a longdpo cluster node. Roles: coordinator (may hold the run manager, a cluster singleton),",
      "search (hosts the active run's search workers); trainer and evaluator are reserved for part 2.",
      "Prints one line when the node is Up (address, roles, ports, log file) and runs until stopped.",
      "Every option is also a key under longdpo.node (see the coordinator's reference.conf)."
    })
public final class NodeCommand implements Callable<Integer> {

  /** The line a node prints when it is Up; tools wait for it. */
  public static final String UP_PREFIX = "longdpo node up:";

  @Spec CommandSpec spec;

  @Option(names = "--roles", split = ",", paramLabel = "<role>", description = "coordinator, search, trainer, evaluator.")
  List<String> roles;

  @Option(names = "--port", paramLabel = "<port>", description = "Cluster port (0: any free one).")
  Integer port;

  @Option(names = "--hostname", paramLabel = "<host>", description = "The address other nodes reach this one at.")
  String hostname;

  @Option(names = "--seed-nodes", split = ",", paramLabel = "<host:port>", description = "Nodes to join.")
  List<String> seedNodes;

  @Option(names = "--bootstrap",
      description = "Find the other nodes through Pekko Cluster Bootstrap (e.g. the Kubernetes API) instead of --seed-nodes.")
  Boolean bootstrap;

  @Option(names = "--control-port", paramLabel = "<port>", description = "Control API port (0: any free one).")
  Integer controlPort;

  @Option(names = "--control-host", paramLabel = "<host>", description = "Control API address (loopback by default).")
  String controlHost;

  @Option(names = "--token-file", paramLabel = "<file>", description = "The control token (needed off loopback).")
  Path tokenFile;

  @Option(names = "--metrics-port", paramLabel = "<port>",
      description = "Prometheus endpoint port, GET /metrics (0: any free one, the default; -1: none).")
  Integer metricsPort;

  @Option(names = "--metrics-host", paramLabel = "<host>", description = "Prometheus endpoint address (loopback by default).")
  String metricsHost;

  @Option(names = "--management-port", paramLabel = "<port>",
      description = "Health endpoint port: /alive, /ready, /cluster/members (0: any free one, the default; -1: none).")
  Integer managementPort;

  @Option(names = "--management-host", paramLabel = "<host>", description = "Health endpoint address (loopback by default).")
  String managementHost;

  @Option(names = "--tls-key-store", paramLabel = "<file>",
      description = "This node's key store (PKCS12): Artery over TLS; needed off loopback.")
  Path tlsKeyStore;

  @Option(names = "--tls-trust-store", paramLabel = "<file>",
      description = "The certificates this node accepts (default: the key store).")
  Path tlsTrustStore;

  @Option(names = "--tls-password-file", paramLabel = "<file>", description = "The stores' password.")
  Path tlsPasswordFile;

  @Option(names = "--run-root", paramLabel = "<dir>", description = "The shared directory holding every run.")
  Path runRoot;

  @Option(names = "--name", paramLabel = "<name>", description = "The node's log file name (default node-<pid>).")
  String name;

  @Override
  public Integer call() throws Exception {
    Config config = withOptions(GlobalOptions.of(spec).config());
    NodeSettings node = NodeSettings.create(config);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String rootToken = RunRootMarker.ensure(node.runRoot());
    String nodeName = name != null ? name : "node-" + ProcessHandle.current().pid();
    Path log = NodeLog.attach(node.runRoot(), nodeName);

    ActorSystem<Void> system;
    try {
      system = NodeBoot.startAndJoin(node, config);
    } catch (NodeBoot.NotUp e) {
      err.println("error: " + e.getMessage() + "; log " + log);
      return e.exitCode();
    }
    Cluster cluster = Cluster.get(system);
    system.log().info(NodeMalloc.describe(node.roles(), System.getenv()));

    NodeServices.Started services = NodeServices.start(system, config, node);
    ActorRef<RunManagerProtocol.Command> manager = services.manager();
    String refused = checkRunRoot(system, manager, rootToken, node);
    if (refused != null) {
      err.println("error: " + refused);
      system.terminate();
      return ExitCodes.BAD_INPUT;
    }

    ControlServer control = ControlServer.start(node.controlHost(), node.controlPort(), node.token(), system, manager,
        services.stats(), node.runRoot());
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceUnbind(), "stop-control-api", () -> {
      try {
        control.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return CompletableFuture.completedFuture(org.apache.pekko.Done.getInstance());
    });
    NodeMetrics metrics = new NodeMetrics(system, node.roles());
    String metricsAt = "none";
    if (node.metricsPort() >= 0) {
      MetricsServer server = MetricsServer.start(node.metricsHost(), node.metricsPort(), metrics::scrape);
      metricsAt = node.metricsHost() + ":" + server.port();
      CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceUnbind(), "stop-metrics", () -> {
        server.close();
        return CompletableFuture.completedFuture(org.apache.pekko.Done.getInstance());
      });
    }
    String managementAt = node.managementPort() < 0 ? "none" : NodeManagement.start(system);
    int clusterPort = cluster.selfMember().address().getPort().orElse(0);
    out.println(UP_PREFIX + " " + cluster.selfMember().address() + " roles=" + String.join(",", node.roles())
        + " cluster-port=" + clusterPort + " control=" + node.controlHost() + ":" + control.port() + " log=" + log
        + " pid=" + ProcessHandle.current().pid() + " metrics=" + metricsAt + " management=" + managementAt);
    out.flush();
    system.getWhenTerminated().toCompletableFuture().join();
    if (CoordinatedShutdown.get(system).getShutdownReason()
        .filter(r -> r.equals(CoordinatedShutdown.clusterDowningReason())).isPresent()) {
      err.println("error: node " + cluster.selfMember().address() + " was downed by the cluster (unreachable from the"
          + " majority, or on the losing side of a partition); log " + log);
      return ExitCodes.FAILURE;
    }
    return ExitCodes.OK;
  }

  /**
   * Null when this node sees the run root the manager writes to; else why not. Skipped (the
   * search host checks again when it starts a run) when no manager answers yet.
   */
  private static String checkRunRoot(ActorSystem<?> system, ActorRef<RunManagerProtocol.Command> manager,
      String token, NodeSettings node) {
    boolean coordinatorUp = java.util.stream.StreamSupport
        .stream(Cluster.get(system).state().getMembers().spliterator(), false)
        .anyMatch(m -> m.hasRole("coordinator"));
    if (!coordinatorUp) {
      return null;
    }
    try {
      RunManagerProtocol.RootToken answer = AskPattern.<RunManagerProtocol.Command, RunManagerProtocol.RootToken>ask(
              manager, RunManagerProtocol.GetRootToken::new, Duration.ofSeconds(30), system.scheduler())
          .toCompletableFuture().get(35, TimeUnit.SECONDS);
      if (!answer.token().equals(token)) {
        return "the run root " + node.runRoot() + " is not the one the run manager uses (its marker "
            + RunRootMarker.FILE + " differs): every node needs the same run root, on a shared file system";
      }
      return null;
    } catch (Exception e) {
      return null; // no manager yet: checked when a run starts
    }
  }

  /** The configuration with this command's options written into {@code longdpo.node}. */
  private Config withOptions(Config config) {
    Map<String, Object> set = new LinkedHashMap<>(); // the options given (null: not given)
    set.put("roles", roles);
    set.put("port", port);
    set.put("hostname", hostname);
    set.put("seed-nodes", seedNodes);
    set.put("bootstrap", bootstrap);
    set.put("control-port", controlPort);
    set.put("control-host", controlHost);
    set.put("token-file", tokenFile == null ? null : tokenFile.toString());
    set.put("metrics-port", metricsPort);
    set.put("metrics-host", metricsHost);
    set.put("management-port", managementPort);
    set.put("management-host", managementHost);
    set.put("run-root", absolute(runRoot));
    set.put("tls.key-store", absolute(tlsKeyStore));
    set.put("tls.trust-store", absolute(tlsTrustStore));
    set.put("tls.password-file", absolute(tlsPasswordFile));
    Config c = config;
    for (Map.Entry<String, Object> e : set.entrySet()) {
      if (e.getValue() != null) {
        c = c.withValue("longdpo.node." + e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue()));
      }
    }
    return c;
  }

  private static String absolute(Path p) {
    return p == null ? null : p.toAbsolutePath().toString();
  }
}
