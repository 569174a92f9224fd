package dev.longdpo.protocol.cluster;

import dev.longdpo.protocol.KryoMessage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * Messages of a search host: the actor on every {@code search} node that starts and stops the
 * workers (search nodes over the run's policy, reward and critic actors) of the active run.
 */
public interface SearchHostProtocol {

  /** Search hosts register under this key. */
  ServiceKey<Command> KEY = ServiceKey.create(Command.class, "longdpo-search-host");

  /** What a search host accepts (its node's own messages too: those never leave the node). */
  interface Command {}

  /**
   * Start run {@code runId}'s workers (idempotent), registered under the run's keys.
   *
   * @param runDir the run's directory under the shared run root
   * @param backend {@code testing} (the scripted policy) or {@code model} (the model in
   *     {@code runDir/base})
   * @param rootToken the run root's marker token: a host whose root holds another one does not
   *     see the same directory as the manager and refuses
   */
  record Activate(String runId, String runDir, String backend, String rootToken, ActorRef<HostReply> replyTo)
      implements Command, KryoMessage {}

  /** Stop run {@code runId}'s workers. */
  record Deactivate(String runId) implements Command, KryoMessage {}

  /** Whether a host started a run's workers, and why not. */
  record HostReply(String runId, String node, boolean ok, String reason) implements KryoMessage {}
}
