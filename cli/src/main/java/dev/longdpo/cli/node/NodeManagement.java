package dev.longdpo.cli.node;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.management.javadsl.PekkoManagement;

/**
 * Pekko Management's HTTP endpoint on a node (host and port from {@code longdpo.node.management-*},
 * set into the node's Pekko configuration): {@code /alive} answers while the node runs,
 * {@code /ready} once it is Up or WeaklyUp in its cluster, {@code /cluster/members} lists the
 * members as this node sees them. Stopped by the node's coordinated shutdown.
 */
final class NodeManagement {

  private NodeManagement() {}

  /** Where each system's endpoint listens, once started. */
  private static final Map<ActorSystem<?>, String> STARTED = new WeakHashMap<>();

  /**
   * Starts the endpoint, once per node (Cluster Bootstrap starts it before the node joins; a
   * second call answers the first's address); returns its host:port.
   */
  static synchronized String start(ActorSystem<?> system) throws Exception {
    String known = STARTED.get(system);
    if (known != null) {
      return known;
    }
    Uri uri = PekkoManagement.get(Adapter.toClassic(system)).start().toCompletableFuture().get(30, TimeUnit.SECONDS);
    String at = uri.host().address() + ":" + uri.port();
    STARTED.put(system, at);
    return at;
  }
}
