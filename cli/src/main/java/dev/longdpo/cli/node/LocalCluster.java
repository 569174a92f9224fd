package dev.longdpo.cli.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/**
 * A cluster of one: an ActorSystem with the cluster provider on a loopback port that joins itself,
 * so the receptionist, serialization and routing are the ones a multi-node cluster uses.
 */
public final class LocalCluster {

  private LocalCluster() {}

  /** Starts the system with {@code guardian} and waits until this node is up. */
  public static <T> ActorSystem<T> start(String name, Behavior<T> guardian, Config config) {
    Config cluster =
        ConfigFactory.parseString(
                "pekko.actor.provider = cluster\n"
                    + "pekko.remote.artery.canonical.hostname = \"127.0.0.1\"\n"
                    + "pekko.remote.artery.canonical.port = 0\n"
                    + "pekko.cluster.jmx.enabled = off\n"
                    + "pekko.coordinated-shutdown.exit-jvm = off\n")
            .withFallback(config);
    ActorSystem<T> system = ActorSystem.create(guardian, name, cluster);
    Cluster c = Cluster.get(system);
    c.manager().tell(Join.create(c.selfMember().address()));
    return system;
  }

  /** A guardian that only hosts what is spawned into it later. */
  public static Behavior<Void> empty() {
    return Behaviors.empty();
  }

  /** Terminates the system and waits (bounded) for it. */
  public static void stop(ActorSystem<?> system, Duration wait) {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // best effort: the process is ending anyway
    }
  }

  /** A future completed by the first message an actor receives. */
  public static <M> Behavior<M> completing(CompletableFuture<M> future) {
    return Behaviors.receiveMessage(m -> {
      future.complete(m);
      return Behaviors.stopped();
    });
  }
}
