package dev.longdpo.cli.node;

import com.google.protobuf.Message;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import dev.longdpo.protocol.cluster.RunManagerProtocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * A node holding every role, alone in its cluster, inside this JVM: how {@code longdpo demo} runs
 * the demo's job through the same run manager, search, trainer and evaluator hosts as a cluster
 * of many. It binds to loopback on a free port, opens no control port (calls go to the manager's
 * actor directly), and logs to {@code <run-root>/nodes/<name>.log}.
 */
public final class ClusterOfOne implements AutoCloseable {

  /** Every role a node can have. */
  public static final List<String> ALL_ROLES = List.of("coordinator", "search", "trainer", "evaluator");

  private final ActorSystem<Void> system;
  private final ActorRef<RunManagerProtocol.Command> manager;
  private final Path log;

  private ClusterOfOne(ActorSystem<Void> system, ActorRef<RunManagerProtocol.Command> manager, Path log) {
    this.system = system;
    this.manager = manager;
    this.log = log;
  }

  /** Starts the node over {@code runRoot} and waits until it is Up. */
  public static ClusterOfOne start(Config config, Path runRoot, String name) throws Exception {
    Config c = config
        .withValue("longdpo.node.roles", ConfigValueFactory.fromIterable(ALL_ROLES))
        .withValue("longdpo.node.hostname", ConfigValueFactory.fromAnyRef("127.0.0.1"))
        .withValue("longdpo.node.port", ConfigValueFactory.fromAnyRef(0))
        .withValue("longdpo.node.seed-nodes", ConfigValueFactory.fromIterable(List.of()))
        .withValue("longdpo.node.run-root", ConfigValueFactory.fromAnyRef(runRoot.toAbsolutePath().toString()));
    NodeSettings node = NodeSettings.create(c);
    Path log = NodeLog.attach(node.runRoot(), name);
    ActorSystem<Void> system;
    try {
      system = NodeBoot.startAndJoin(node, c);
    } catch (NodeBoot.NotUp e) {
      throw new IllegalStateException(e.getMessage() + "; log " + log, e);
    }
    return new ClusterOfOne(system, NodeServices.start(system, c, node).manager(), log);
  }

  /** The node's log file. */
  public Path log() {
    return log;
  }

  /**
   * Calls the run manager as the control API would; returns its answer (status 0: {@code reply}
   * holds the method's reply message).
   */
  public RunManagerProtocol.Answer call(RunManagerProtocol.Method method, Message request, Duration timeout)
      throws Exception {
    return AskPattern.<RunManagerProtocol.Command, RunManagerProtocol.Answer>ask(manager,
            replyTo -> new RunManagerProtocol.Call(method, request.toByteArray(), replyTo), timeout, system.scheduler())
        .toCompletableFuture().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
  }

  /** Leaves through coordinated shutdown: trainers write a checkpoint of where they are first. */
  @Override
  public void close() throws Exception {
    CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason()).toCompletableFuture()
        .get(2, TimeUnit.MINUTES);
  }
}
