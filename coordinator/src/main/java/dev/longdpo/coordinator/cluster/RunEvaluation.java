package dev.longdpo.coordinator.cluster;

import dev.longdpo.coordinator.RendezvousHash;
import dev.longdpo.protocol.cluster.EvaluatorHostProtocol;
import dev.longdpo.protocol.cluster.EvaluatorHostProtocol.EvaluatorReport;
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
 * The evaluation of the active run, as the run manager keeps it: the run is given to one evaluator
 * host (rendezvous hashing over the listed ones) and moves when that host leaves the listing; the
 * new host scans the run directory, so what was written meanwhile is evaluated too. Checkpoints are
 * announced to the host as trainers report them. Keeps each variant's latest evaluation for
 * status, and tells when every variant's final checkpoint is evaluated. Confined to the manager's
 * actor.
 */
final class RunEvaluation {

  private final ManagedRun run;
  private final String rootToken;
  private final ActorRef<EvaluatorReport> replies;
  private final Logger log;
  private final Function<ActorRef<?>, String> nodeOf;
  private ActorRef<EvaluatorHostProtocol.Command> host;
  private List<ActorRef<EvaluatorHostProtocol.Command>> hosts = List.of();
  /** The latest evaluation of each variant (base included), by step. */
  private final Map<String, EvaluatorReport> latest = new LinkedHashMap<>();
  /** Checkpoints evaluated (by name). */
  private final Map<String, EvaluatorReport> evaluated = new LinkedHashMap<>();
  private String failure = "";
  /** Whether the run was ever given to an evaluator: then it waits for one to finish. */
  private boolean everAssigned;

  RunEvaluation(ManagedRun run, String rootToken, ActorRef<EvaluatorReport> replies, Logger log,
      Function<ActorRef<?>, String> nodeOf) {
    this.run = run;
    this.rootToken = rootToken;
    this.replies = replies;
    this.log = log;
    this.nodeOf = nodeOf;
    // A run an earlier manager had evaluated keeps waiting for an evaluator at its end.
    this.everAssigned = !run.evaluations.isEmpty();
    for (ClusterRunFiles.Evaluated e : run.evaluations) { // what an earlier manager recorded
      latest.put(e.variant(), new EvaluatorReport(run.id(), e.node(), e.variant(), e.checkpoint(), e.step(), false,
          e.weightsSha256(), e.sl(), e.sq(), e.record(), ""));
    }
  }

  /** The listed evaluator hosts changed: the run moves if its host is gone. */
  void hostsListed(Set<ActorRef<EvaluatorHostProtocol.Command>> listed) {
    List<ActorRef<EvaluatorHostProtocol.Command>> now = new ArrayList<>(listed);
    now.sort((a, b) -> a.path().toString().compareTo(b.path().toString()));
    hosts = List.copyOf(now);
    if (host != null && !listed.contains(host)) {
      log.warn("run {}: its evaluator on {} is gone", run.id(), nodeOf.apply(host));
      host = null;
    }
    if (host == null && !hosts.isEmpty()) {
      long best = Long.MIN_VALUE;
      for (ActorRef<EvaluatorHostProtocol.Command> h : hosts) {
        long w = RendezvousHash.weight(run.id(), h.path().toString());
        if (host == null || w > best) {
          host = h;
          best = w;
        }
      }
      everAssigned = true;
      log.info("run {}: evaluated on {}", run.id(), nodeOf.apply(host));
      host.tell(new EvaluatorHostProtocol.Evaluate(run.id(), run.dir.toString(), rootToken, replies));
    }
  }

  /** Whether the run was ever given to an evaluator host (this manager's life). */
  boolean everAssigned() {
    return everAssigned;
  }

  /** Whether an evaluator host has the run now. */
  boolean hasEvaluator() {
    return host != null;
  }

  /**
   * A trainer wrote a checkpoint.
   *
   * @param relativePath its directory relative to the run root
   */
  void checkpointWritten(String variant, String name, String relativePath, long step, boolean last) {
    if (host != null) {
      host.tell(new EvaluatorHostProtocol.Checkpoint(run.id(), variant, name, relativePath, step, last));
    }
  }

  /** Takes an evaluator's report. */
  void report(EvaluatorReport r) {
    if (!r.failure().isEmpty()) {
      failure = r.failure();
      log.error("run {}: {}", run.id(), r.failure());
      return;
    }
    evaluated.put(r.checkpoint(), r);
    EvaluatorReport before = latest.get(r.variant());
    if (before == null || r.step() >= before.step()) {
      latest.put(r.variant(), r);
    }
    log.info("run {}: {} evaluated on {}: S_l {}, S_q {}", run.id(), r.checkpoint(), r.node(), r.sl(), r.sq());
  }

  /** Whether each of these checkpoints (the variants' final ones) is evaluated. */
  boolean evaluatedAll(List<String> checkpoints) {
    return evaluated.keySet().containsAll(checkpoints);
  }

  /** An evaluation that failed, if any. */
  Optional<String> failure() {
    return failure.isEmpty() ? Optional.empty() : Optional.of(failure);
  }

  void stop() {
    if (host != null) {
      host.tell(new EvaluatorHostProtocol.StopEvaluating(run.id()));
    }
  }

  /** Each variant's latest evaluation, as state.json keeps it. */
  List<ClusterRunFiles.Evaluated> latest() {
    List<ClusterRunFiles.Evaluated> out = new ArrayList<>();
    for (EvaluatorReport r : latest.values()) {
      out.add(new ClusterRunFiles.Evaluated(r.variant(), r.checkpoint(), r.step(), r.weightsSha256(), r.sl(), r.sq(),
          r.record(), r.node()));
    }
    return out;
  }
}
