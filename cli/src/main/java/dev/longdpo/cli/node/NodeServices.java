package dev.longdpo.cli.node;

import com.typesafe.config.Config;
import dev.longdpo.actors.ActorsSettings;
import dev.longdpo.actors.metrics.NodeStats;
import dev.longdpo.protocol.cluster.NodeStatsProtocol;
import dev.longdpo.actors.host.EvaluatorHost;
import dev.longdpo.actors.host.SearchHost;
import dev.longdpo.cli.report.RunReport;
import dev.longdpo.coordinator.cluster.RunManager;
import dev.longdpo.protocol.cluster.RunManagerProtocol;
import dev.longdpo.protocol.cluster.SearchHostProtocol;
import dev.longdpo.protocol.cluster.TrainerHostProtocol;
import dev.longdpo.gpuworker.host.TrainerHost;
import java.time.Duration;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.ClusterSingletonSettings;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * What a node runs by role: the run manager's singleton (and its proxy everywhere), a search host,
 * a trainer host, an evaluator host.
 */
final class NodeServices {

  private NodeServices() {}

  /** What other parts of the node talk to: the run manager's proxy, and the node's stats. */
  record Started(ActorRef<RunManagerProtocol.Command> manager, ActorRef<NodeStatsProtocol.Command> stats) {}

  /** How often each node publishes its snapshot for {@code ctl top}. */
  private static final Duration STATS_EVERY = Duration.ofSeconds(1);

  /** Starts the node's services. */
  static Started start(ActorSystem<?> system, Config config, NodeSettings node) {
    Cluster cluster = Cluster.get(system);
    ActorRef<NodeStatsProtocol.Command> stats = system.systemActorOf(
        NodeStats.create(cluster.selfMember().address().toString(), node.roles(), STATS_EVERY), "node-stats",
        Props.empty());
    ActorRef<RunManagerProtocol.Command> manager = ClusterSingleton.get(system).init(
        SingletonActor.of(Behaviors.supervise(RunManager.create(config, RunReport::write)).onFailure(SupervisorStrategy.restart()),
                "run-manager")
            .withSettings(ClusterSingletonSettings.create(system).withRole("coordinator")));
    if (node.roles().contains("search")) {
      SearchHost.Hooks hooks = node.holdAfterExpansions() > 0
          ? new SearchHost.Hooks(node.hookRun(), node.holdAfterExpansions()) : SearchHost.Hooks.NONE;
      ActorRef<SearchHostProtocol.Command> host = system.systemActorOf(
          SearchHost.create(node.runRoot(), cluster.selfMember().address().toString(), ActorsSettings.create(config),
              hooks), "search-host", Props.empty());
      // On SIGTERM the workers stop before the node leaves: their trees move while it is still here.
      CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeClusterShutdown(), "stop-search-workers",
          () -> AskPattern.<SearchHostProtocol.Command, Done>ask(host,
              SearchHost.Leave::new, Duration.ofSeconds(5), system.scheduler()));
    }
    if (node.roles().contains("trainer")) {
      TrainerHost.Hooks hooks = node.holdAtTrainerStep() > 0
          ? new TrainerHost.Hooks(node.hookRun(), node.holdAtTrainerStep(), node.holdTrainerVariant()) : TrainerHost.Hooks.NONE;
      ActorRef<TrainerHostProtocol.Command> host = system.systemActorOf(
          TrainerHost.create(node.runRoot(), cluster.selfMember().address().toString(), config, hooks), "trainer-host",
          Props.empty());
      // On SIGTERM each worker checkpoints where it is and stops, and the variants move before the
      // node leaves (bounded by the phase's timeout, node.conf).
      CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeClusterShutdown(), "stop-trainers",
          () -> AskPattern.<TrainerHostProtocol.Command, Done>ask(host,
              TrainerHost.Leave::new, Duration.ofSeconds(55), system.scheduler()));
    }
    if (node.roles().contains("evaluator")) {
      EvaluatorHost.Hooks hooks = node.holdAfterEvaluations() > 0
          ? new EvaluatorHost.Hooks(node.hookRun(), node.holdAfterEvaluations()) : EvaluatorHost.Hooks.NONE;
      system.systemActorOf(
          EvaluatorHost.create(node.runRoot(), cluster.selfMember().address().toString(), config, hooks),
          "evaluator-host", DispatcherSelector.fromConfig(ActorsSettings.BLOCKING_DISPATCHER));
    }
    return new Started(manager, stats);
  }
}
