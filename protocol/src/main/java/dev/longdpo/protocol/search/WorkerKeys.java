package dev.longdpo.protocol.search;

import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * The receptionist keys one search's workers register under. A cluster serves one run at a time
 * but a node may still hold the workers of the run before it for a moment; keys that carry the
 * run id keep a coordinator from ever sending a request to another run's policy (another model).
 */
public record WorkerKeys(
    ServiceKey<SearchNodeProtocol.Command> searchNodes,
    ServiceKey<RewardProtocol.Command> rewards,
    ServiceKey<CriticProtocol.Command> critics) {

  /** The keys of a search in one JVM (the demo, {@code longdpo search}, tests). */
  public static final WorkerKeys DEFAULT =
      new WorkerKeys(SearchNodeProtocol.KEY, RewardProtocol.KEY, CriticProtocol.KEY);

  /** The keys of run {@code runId}'s workers on a cluster. */
  public static WorkerKeys forRun(String runId) {
    return new WorkerKeys(
        ServiceKey.create(SearchNodeProtocol.Command.class, SearchNodeProtocol.KEY.id() + "/" + runId),
        ServiceKey.create(RewardProtocol.Command.class, RewardProtocol.KEY.id() + "/" + runId),
        ServiceKey.create(CriticProtocol.Command.class, CriticProtocol.KEY.id() + "/" + runId));
  }
}
