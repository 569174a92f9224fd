package dev.longdpo.coordinator;

import dev.longdpo.protocol.search.CriticProtocol;
import dev.longdpo.protocol.search.RewardProtocol;
import dev.longdpo.protocol.search.SearchNodeProtocol;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The workers the receptionist lists now, each kind sorted by path so every coordinator maps a tree
 * to the same search node (its states are cached there).
 */
record WorkerSet(
    List<ActorRef<SearchNodeProtocol.Command>> searchNodes,
    List<ActorRef<RewardProtocol.Command>> rewards,
    List<ActorRef<CriticProtocol.Command>> critics,
    boolean critiqueNeeded) {

  static WorkerSet empty(boolean critiqueNeeded) {
    return new WorkerSet(List.of(), List.of(), List.of(), critiqueNeeded);
  }

  static <T> List<ActorRef<T>> sorted(Collection<ActorRef<T>> refs) {
    List<ActorRef<T>> out = new ArrayList<>(refs);
    out.sort(Comparator.comparing(r -> r.path().toString()));
    return List.copyOf(out);
  }

  WorkerSet withSearchNodes(Collection<ActorRef<SearchNodeProtocol.Command>> refs) {
    return new WorkerSet(sorted(refs), rewards, critics, critiqueNeeded);
  }

  WorkerSet withRewards(Collection<ActorRef<RewardProtocol.Command>> refs) {
    return new WorkerSet(searchNodes, sorted(refs), critics, critiqueNeeded);
  }

  WorkerSet withCritics(Collection<ActorRef<CriticProtocol.Command>> refs) {
    return new WorkerSet(searchNodes, rewards, sorted(refs), critiqueNeeded);
  }

  /** Whether every kind of worker the search needs is present. */
  boolean ready() {
    return !searchNodes.isEmpty() && !rewards.isEmpty() && (!critiqueNeeded || !critics.isEmpty());
  }

  /** The search node a tree's requests go to. */
  Optional<ActorRef<SearchNodeProtocol.Command>> searchNodeFor(String treeId) {
    return searchNodes.isEmpty()
        ? Optional.empty()
        : Optional.of(searchNodes.get(Math.floorMod(treeId.hashCode(), searchNodes.size())));
  }

  Optional<ActorRef<RewardProtocol.Command>> reward(int i) {
    return rewards.isEmpty() ? Optional.empty() : Optional.of(rewards.get(Math.floorMod(i, rewards.size())));
  }

  Optional<ActorRef<CriticProtocol.Command>> critic(int i) {
    return critics.isEmpty() ? Optional.empty() : Optional.of(critics.get(Math.floorMod(i, critics.size())));
  }
}
