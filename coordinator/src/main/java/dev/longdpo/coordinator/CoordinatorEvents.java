package dev.longdpo.coordinator;

import dev.longdpo.protocol.coordinator.CoordinatorProtocol;
import dev.longdpo.protocol.pairs.PreferencePair;
import dev.longdpo.protocol.pairs.TreeCompleted;
import java.util.List;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;

/**
 * What tree runners tell their coordinator. These are also the coordinator's state changes: pairs
 * recorded and trees completed are written to the pair log, so the run's state can be rebuilt from
 * it (the event-sourced form a singleton coordinator with failover needs).
 */
final class CoordinatorEvents {

  private CoordinatorEvents() {}

  /** Local messages from runners. */
  interface Event extends CoordinatorProtocol.Command, NoSerializationVerificationNeeded {}

  /** Pairs a tree recorded at its latest committed depth. */
  record PairsFound(String promptId, List<PreferencePair> pairs) implements Event {}

  /** A tree's search finished. */
  record TreeFinished(String promptId, TreeCompleted completion) implements Event {}

  /** A tree's request went to another worker because the one it was waiting for is gone. */
  record TreeRerouted(String promptId) implements Event {}

  /** A tree's search failed; the coordinator searches it again (up to the run's tree attempts). */
  record TreeFailed(String promptId, String reason) implements Event {}
}
