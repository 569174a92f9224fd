package dev.longdpo.coordinator.cluster;

import dev.longdpo.coordinator.run.PairLog;
import dev.longdpo.coordinator.run.RunDirectory;
import dev.longdpo.protocol.coordinator.CoordinatorProtocol;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.slf4j.Logger;

/** One run as the manager holds it: its files, its phase and, while active, its coordinator. */
final class ManagedRun {

  private static final Set<String> TERMINAL = Set.of("DONE", "FAILED", "STOPPED", "CANCELLED");

  final Path dir;
  final ClusterRunFiles.Submitted submitted;
  ClusterRunFiles.State state;
  final Map<String, ClusterRunFiles.Failed> failed = new LinkedHashMap<>();
  /** Why nodes refused to host the run's workers, by node. */
  final Map<String, String> hostRefusals = new LinkedHashMap<>();
  ActorRef<CoordinatorProtocol.Command> coordinator;
  PairLog log;
  /** Trees re-routed (each counted once) before and in this manager's life. */
  int rerouted;
  private final int reroutedBefore;
  private final Set<String> reroutedHere = new HashSet<>();
  int done;
  long pairs;
  boolean draining;
  boolean cancelled;
  String stopReason = "";
  String failure;
  /**
   * What the manager does for the run now, on a blocking thread: preparing the base, sampling the
   * outcome baseline, writing the report (status shows it while the run is not over).
   */
  String activity = "";
  /** The demo's job: the outcome baseline's sampling was started in this manager's life. */
  boolean outcomeStarted;
  /** The replay of the outcome baseline's pair log, once sampled. */
  ActorRef<CoordinatorProtocol.Command> outcomeReplay;
  /** The demo's job: the report is being written. */
  boolean reporting;
  /** The run's trainers while it is active and trains; else null. */
  RunTrainers trainers;
  /** The run's evaluation while it is active and trains; else null. */
  RunEvaluation evaluation;
  /** Paused by a control request (kept in state.json). */
  boolean paused;
  /** Each variant's latest evaluation (kept in state.json). */
  List<ClusterRunFiles.Evaluated> evaluations;
  /** The search is over (the coordinator still serves the pair stream to the trainers). */
  boolean searchEnded;

  /** The run's prompts (from run.json, read once). */
  final int promptsTotal;

  ManagedRun(Path dir, ClusterRunFiles.Submitted submitted, ClusterRunFiles.State state) throws IOException {
    this.dir = dir;
    this.promptsTotal = RunDirectory.existing(dir).manifest().prompts();
    this.submitted = submitted;
    this.state = state;
    for (ClusterRunFiles.Failed f : state.failed()) {
      failed.put(f.promptId(), f);
    }
    this.rerouted = state.treesRerun();
    this.reroutedBefore = state.treesRerun();
    this.done = state.promptsDone();
    this.pairs = state.pairs();
    this.paused = state.paused();
    this.evaluations = state.evaluations();
  }

  /** A tree's request went elsewhere: the tree counts as re-routed once. */
  void rerouted(String promptId) {
    reroutedHere.add(promptId);
    rerouted = reroutedBefore + reroutedHere.size();
  }

  String id() {
    return submitted.runId();
  }

  boolean isTerminal() {
    return TERMINAL.contains(state.phase());
  }

  /** What a search host runs for this run: the scripted policy, or the model in base/. */
  String workerBackend() {
    return submitted.backend().equals("testing") ? "testing" : "model";
  }

  void setPhase(String phase, String reason) throws IOException {
    state = new ClusterRunFiles.State(phase, reason, state.baseSha256(), new ArrayList<>(failed.values()), rerouted,
        done, pairs, paused, evaluations);
    ClusterRunFiles.write(dir.resolve(ClusterRunFiles.STATE), state);
  }

  void saveCounters() throws IOException {
    setPhase(state.phase(), state.reason());
  }

  void closeLog(Logger logger) {
    if (log != null) {
      try {
        log.close();
      } catch (IOException e) {
        logger.error("run {}: cannot close {}", id(), log.file(), e);
      }
      log = null;
    }
  }
}
