package dev.longdpo.coordinator;

import dev.longdpo.protocol.search.CriticProtocol;
import dev.longdpo.protocol.search.RewardProtocol;
import dev.longdpo.protocol.search.SearchNodeProtocol;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The workers the receptionist lists now (reachable ones only), each kind sorted by path. A tree
 * maps to a search node by rendezvous hashing: every coordinator maps it to the same node (its
 * states are cached there), and when a node is lost only that node's trees move.
 */
record WorkerSet(
    List<ActorRef<SearchNodeProtocol.Command>> searchNodes,
    List<ActorRef<RewardProtocol.Command>> rewards,
    List<ActorRef<CriticProtocol.Command>> critics,
    boolean critiqueNeeded,
    Function<ActorRef<?>, String> names) {

  /**
   * @param names a worker's name for hashing: its path with the node's address, the same in every
   *     JVM (a local ref's own path has no address)
   */
  static WorkerSet empty(boolean critiqueNeeded, Function<ActorRef<?>, String> names) {
    return new WorkerSet(List.of(), List.of(), List.of(), critiqueNeeded, names);
  }

  static <T> List<ActorRef<T>> sorted(Collection<ActorRef<T>> refs) {
    List<ActorRef<T>> out = new ArrayList<>(refs);
    out.sort(Comparator.comparing(r -> r.path().toString()));
    return List.copyOf(out);
  }

  WorkerSet withSearchNodes(Collection<ActorRef<SearchNodeProtocol.Command>> refs) {
    return new WorkerSet(sorted(refs), rewards, critics, critiqueNeeded, names);
  }

  WorkerSet withRewards(Collection<ActorRef<RewardProtocol.Command>> refs) {
    return new WorkerSet(searchNodes, sorted(refs), critics, critiqueNeeded, names);
  }

  WorkerSet withCritics(Collection<ActorRef<CriticProtocol.Command>> refs) {
    return new WorkerSet(searchNodes, rewards, sorted(refs), critiqueNeeded, names);
  }

  /** Whether every kind of worker the search needs is present. */
  boolean ready() {
    return !searchNodes.isEmpty() && !rewards.isEmpty() && (!critiqueNeeded || !critics.isEmpty());
  }

  /** The search node a tree's requests go to: the one with the highest rendezvous weight. */
  Optional<ActorRef<SearchNodeProtocol.Command>> searchNodeFor(String treeId) {
    ActorRef<SearchNodeProtocol.Command> best = null;
    long bestWeight = 0;
    for (ActorRef<SearchNodeProtocol.Command> node : searchNodes) {
      long w = RendezvousHash.weight(treeId, names.apply(node));
      if (best == null || Long.compareUnsigned(w, bestWeight) > 0) {
        best = node;
        bestWeight = w;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Whether {@code worker} is listed (reachable) now. */
  boolean contains(ActorRef<?> worker) {
    return searchNodes.contains(worker) || rewards.contains(worker) || critics.contains(worker);
  }

  Optional<ActorRef<RewardProtocol.Command>> reward(int i) {
    return rewards.isEmpty() ? Optional.empty() : Optional.of(rewards.get(Math.floorMod(i, rewards.size())));
  }

  Optional<ActorRef<CriticProtocol.Command>> critic(int i) {
    return critics.isEmpty() ? Optional.empty() : Optional.of(critics.get(Math.floorMod(i, critics.size())));
  }
}
