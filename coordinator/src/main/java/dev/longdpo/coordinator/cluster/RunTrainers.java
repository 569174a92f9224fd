package dev.longdpo.coordinator.cluster;

import dev.longdpo.actors.host.TrainerAssignment;
import dev.longdpo.coordinator.RendezvousHash;
import dev.longdpo.protocol.cluster.TrainerHostProtocol;
import dev.longdpo.protocol.cluster.TrainerHostProtocol.TrainerReport;
import dev.longdpo.protocol.control.TrainerStatus;
import dev.longdpo.protocol.coordinator.CoordinatorProtocol;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.slf4j.Logger;

/**
 * The trainers of the active run, as the run manager keeps them: each variant is assigned to one
 * trainer host, chosen by rendezvous hashing over the listed hosts, and moves when its host leaves
 * the listing (its node left, died or became unreachable). An assignment's number is written to
 * the run directory before the host hears of it ({@link TrainerAssignment}); reports of older
 * assignments are ignored. Confined to the manager's actor.
 */
final class RunTrainers {

  /** One variant's trainer as the last report of its current assignment says. */
  private static final class Variant {
    final String name;
    long assignment;
    ActorRef<TrainerHostProtocol.Command> host;
    String node = "";
    long step;
    long offset;
    int epoch;
    double loss = Double.NaN;
    String checkpoint = "";
    boolean finished;
    String failure = "";
    /** Whether it trains on a stream of its own (the outcome baseline's replay), not the search's. */
    final boolean ownStream;
    ActorRef<CoordinatorProtocol.Command> stream;
    long replayPairs;
    long replayTokens;
    long tokenBudget;

    Variant(String name, boolean ownStream) {
      this.name = name;
      this.ownStream = ownStream;
    }
  }

  private final ManagedRun run;
  private final int prompts;
  private final String rootToken;
  private final ActorRef<TrainerReport> replies;
  private final Logger log;
  private final Map<String, Variant> variants = new LinkedHashMap<>();
  private List<ActorRef<TrainerHostProtocol.Command>> hosts = List.of();
  private boolean paused;
  private final Function<ActorRef<?>, String> nodeOf;

  /**
   * @param ownStreams the variants that train on a stream of their own ({@link #replayFor}), not
   *     on the search's; they wait for it
   * @param nodeOf a host's node address (as the assignment file records it)
   */
  RunTrainers(ManagedRun run, List<String> variantNames, Set<String> ownStreams, String rootToken,
      ActorRef<TrainerReport> replies, Logger log, Function<ActorRef<?>, String> nodeOf) {
    this.nodeOf = nodeOf;
    this.run = run;
    this.prompts = run.promptsTotal;
    this.rootToken = rootToken;
    this.replies = replies;
    this.log = log;
    for (String v : variantNames) {
      variants.put(v, new Variant(v, ownStreams.contains(v)));
    }
  }

  /** The search's pair stream has a new owner (a new coordinator): its trainers take it. */
  void streamFrom(ActorRef<CoordinatorProtocol.Command> coordinator) {
    for (Variant v : variants.values()) {
      if (!v.ownStream) {
        v.stream = coordinator;
        startOrTell(v);
      }
    }
  }

  /**
   * {@code variant} trains on this replay of a complete log: {@code pairs} pairs of {@code tokens}
   * chosen + rejected tokens in all, for {@code tokenBudget} tokens (0: its epochs).
   */
  void replayFor(String variant, ActorRef<CoordinatorProtocol.Command> replay, long pairs, long tokens,
      long tokenBudget) {
    Variant v = variants.get(variant);
    v.stream = replay;
    v.replayPairs = pairs;
    v.replayTokens = tokens;
    v.tokenBudget = tokenBudget;
    startOrTell(v);
  }

  private void startOrTell(Variant v) {
    if (v.host != null) {
      tell(v);
    } else {
      place(v);
    }
  }

  /** The listed trainer hosts changed: variants whose host is gone move. */
  void hostsListed(Set<ActorRef<TrainerHostProtocol.Command>> listed) {
    List<ActorRef<TrainerHostProtocol.Command>> now = new ArrayList<>(listed);
    now.sort((a, b) -> a.path().toString().compareTo(b.path().toString()));
    hosts = List.copyOf(now);
    for (Variant v : variants.values()) {
      if (v.host == null || !listed.contains(v.host)) {
        if (v.host != null) {
          log.warn("run {}: trainer of {} on {} is gone; moving it", run.id(), v.name, v.node);
          // Should it only have been unreachable, it stops when this arrives (and its assignment
          // check would stop it before its next checkpoint anyway).
          v.host.tell(new TrainerHostProtocol.StopTraining(run.id(), v.name));
          v.host = null;
        }
        place(v);
      }
    }
  }

  /** Pauses or resumes every trainer. */
  void setPaused(boolean p) {
    paused = p;
    for (Variant v : variants.values()) {
      if (v.host != null) {
        v.host.tell(new TrainerHostProtocol.SetPaused(run.id(), p));
      }
    }
  }

  boolean paused() {
    return paused;
  }

  /** Takes a trainer's report; false if it was for an older assignment (ignored). */
  boolean report(TrainerReport r) {
    Variant v = variants.get(r.variant());
    if (v == null || v.assignment != r.assignment()) {
      return false;
    }
    v.node = r.node();
    switch (r.kind()) {
      case STARTED -> {
        v.step = r.step();
        v.offset = r.offset();
        v.epoch = r.epoch();
        log.info("run {}: {} started on {} at step {}, offset {}{}", run.id(), v.name, r.node(), r.step(), r.offset(),
            r.checkpoint().isEmpty() ? "" : " (resumed from " + r.checkpoint() + ")");
      }
      case STEPPED -> {
        v.step = r.step();
        v.offset = r.offset();
        v.epoch = r.epoch();
        v.loss = r.lossOrNaN();
      }
      case CHECKPOINTED -> v.checkpoint = r.checkpoint();
      case FINISHED -> {
        v.finished = true;
        v.step = r.step();
        v.checkpoint = r.checkpoint();
        log.info("run {}: {} trained ({} steps, last checkpoint {})", run.id(), v.name, r.step(), r.checkpoint());
      }
      case FAILED -> {
        v.failure = r.message();
        log.error("run {}: training {} failed: {}", run.id(), v.name, r.message());
      }
      default -> { }
    }
    return true;
  }

  /** Each finished variant's final checkpoint. */
  List<String> finalCheckpoints() {
    return variants.values().stream().filter(v -> v.finished).map(v -> v.checkpoint).toList();
  }

  boolean allFinished() {
    return variants.values().stream().allMatch(v -> v.finished);
  }

  /** The first failure a trainer reported, if any. */
  Optional<String> failure() {
    return variants.values().stream().filter(v -> !v.failure.isEmpty())
        .map(v -> "training " + v.name + " failed: " + v.failure).findFirst();
  }

  /** Stops every trainer of the run. */
  void stopAll() {
    for (Variant v : variants.values()) {
      if (v.host != null) {
        v.host.tell(new TrainerHostProtocol.StopTraining(run.id(), v.name));
      }
    }
  }

  /** {@code variant}'s lag: pairs of its stream not yet taken in this pass (0 once finished). */
  long lag(String variant, long pairsWritten) {
    Variant v = variants.get(variant);
    return v == null || v.finished ? 0 : Math.max(0, (v.ownStream ? v.replayPairs : pairsWritten) - v.offset);
  }

  /** The trainers as {@code status} shows them; {@code pairsWritten} gives the lag. */
  List<TrainerStatus> status(long pairsWritten) {
    List<TrainerStatus> out = new ArrayList<>();
    for (Variant v : variants.values()) {
      out.add(TrainerStatus.newBuilder().setVariant(v.name).setNode(v.node).setAssignment(v.assignment)
          .setStep(v.step).setOffset(v.offset).setEpoch(v.epoch)
          .setLag(lag(v.name, pairsWritten))
          .setLastCheckpoint(v.checkpoint).setLoss(v.loss).setFinished(v.finished).setFailure(v.failure).build());
    }
    return out;
  }

  private void place(Variant v) {
    if (v.finished || v.stream == null || hosts.isEmpty()) {
      return;
    }
    ActorRef<TrainerHostProtocol.Command> best = null;
    long bestWeight = Long.MIN_VALUE;
    for (ActorRef<TrainerHostProtocol.Command> h : hosts) {
      long w = RendezvousHash.weight(run.id() + "/" + v.name, h.path().toString());
      if (best == null || w > bestWeight) {
        best = h;
        bestWeight = w;
      }
    }
    try {
      if (v.assignment == 0 && adopt(v)) {
        return;
      }
      String node = nodeOf.apply(best);
      v.assignment = TrainerAssignment.assign(run.dir, v.name, node);
      v.host = best;
      v.node = node;
      v.failure = "";
      log.info("run {}: {} assigned to {} (assignment {})", run.id(), v.name, node, v.assignment);
      tell(v);
    } catch (IOException e) {
      v.failure = "cannot record its assignment: " + e.getMessage();
      log.error("run {}: {}", run.id(), v.failure, e);
    }
  }

  /**
   * A manager that just took over (the singleton moved) keeps the trainer that is still listed:
   * same assignment, so it goes on from where it is and only takes the new stream.
   */
  private boolean adopt(Variant v) throws IOException {
    TrainerAssignment.Current current = TrainerAssignment.read(run.dir, v.name);
    for (ActorRef<TrainerHostProtocol.Command> h : hosts) {
      if (current.number() > 0 && nodeOf.apply(h).equals(current.node())) {
        v.assignment = current.number();
        v.host = h;
        v.node = current.node();
        log.info("run {}: {} stays on {} (assignment {})", run.id(), v.name, v.node, v.assignment);
        tell(v);
        return true;
      }
    }
    return false;
  }

  private void tell(Variant v) {
    v.host.tell(new TrainerHostProtocol.Train(run.id(), run.dir.toString(), v.name, v.assignment, prompts,
        v.replayPairs, v.replayTokens, v.tokenBudget, rootToken, v.stream, paused, replies));
  }
}
