package dev.longdpo.cli.node;

import com.typesafe.config.Config;
import dev.longdpo.cli.ExitCodes;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/** Starts a node's actor system and waits until the node is Up in its cluster. */
final class NodeBoot {

  /** The node did not become Up: why, and the exit code that says so. */
  static final class NotUp extends Exception {
    private final int exitCode;

    NotUp(String message, int exitCode) {
      super(message);
      this.exitCode = exitCode;
    }

    int exitCode() {
      return exitCode;
    }
  }

  private NodeBoot() {}

  /**
   * The node's actor system, Up: it joins its seed nodes, or itself when it has none (a new
   * cluster). Terminated again when it does not become Up within the join timeout.
   */
  static ActorSystem<Void> startAndJoin(NodeSettings node, Config config) throws Exception {
    Config pekko = NodePekkoConfig.of(node, config);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "longdpo", pekko);
    Cluster cluster = Cluster.get(system);
    if (node.bootstrap()) {
      // Contact points are other nodes' management endpoints: it must be up before anyone joins.
      NodeManagement.start(system);
      org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap.get(Adapter.toClassic(system)).start();
    } else if (node.seedNodes().isEmpty()) {
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }
    CompletableFuture<Void> up = new CompletableFuture<>();
    org.apache.pekko.cluster.Cluster.get(Adapter.toClassic(system)).registerOnMemberUp(() -> up.complete(null));
    system.getWhenTerminated().thenRun(() -> up.completeExceptionally(new IllegalStateException("terminated")));
    try {
      up.get(node.joinTimeout().toMillis(), TimeUnit.MILLISECONDS);
      return system;
    } catch (TimeoutException | ExecutionException e) {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().join();
      boolean refused = CoordinatedShutdown.get(system).getShutdownReason()
          .filter(r -> r.equals(CoordinatedShutdown.incompatibleConfigurationDetectedReason())).isPresent();
      throw new NotUp("node " + cluster.selfMember().address() + (refused
          ? " was refused by the cluster at " + node.seedNodes() + ": it is of another build (its "
              + BuildCompatCheck.KEY + " " + pekko.getString(BuildCompatCheck.KEY)
              + " differs; Kryo ids and wire manifests must match): run the same build on every node"
          : " did not become Up within " + node.joinTimeout().toSeconds() + " s (seed nodes " + node.seedNodes()
              + " unreachable?)"), refused ? ExitCodes.BAD_INPUT : ExitCodes.FAILURE);
    }
  }
}
