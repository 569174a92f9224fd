package dev.longdpo.coordinator.cluster;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.typesafe.config.Config;
import dev.longdpo.actors.ActorsSettings;
import dev.longdpo.actors.host.RunRootMarker;
import dev.longdpo.coordinator.Coordinator;
import dev.longdpo.coordinator.RunSummary;
import dev.longdpo.coordinator.run.PairLog;
import dev.longdpo.coordinator.run.RunDirectory;
import dev.longdpo.protocol.cluster.RunManagerProtocol.Answer;
import dev.longdpo.protocol.cluster.RunManagerProtocol.Call;
import dev.longdpo.protocol.cluster.RunManagerProtocol;
import dev.longdpo.protocol.cluster.EvaluatorHostProtocol;
import dev.longdpo.protocol.cluster.SearchHostProtocol;
import dev.longdpo.protocol.cluster.TrainerHostProtocol;
import dev.longdpo.protocol.control.EvaluateRequest;
import dev.longdpo.protocol.control.ListRunsReply;
import dev.longdpo.protocol.control.PauseRequest;
import dev.longdpo.protocol.control.RunStatus;
import dev.longdpo.protocol.control.StatusRequest;
import dev.longdpo.protocol.control.StopRequest;
import dev.longdpo.protocol.control.SubmitReply;
import dev.longdpo.protocol.control.SubmitRequest;
import dev.longdpo.protocol.coordinator.CoordinatorProtocol;
import dev.longdpo.protocol.search.WorkerKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The run manager, a cluster singleton on {@code coordinator} nodes. Keeps every run in its own
 * directory under the shared run root, searches one at a time in submit order (the others queue),
 * and answers the control API. Its state is on disk: a manager that starts (the singleton moved
 * because its node died or left) reads the run root and goes on with the active run, whose
 * coordinator skips completed prompts and never writes a pair twice.
 *
 * <p>For the active run it prepares the base model (copied into the run directory once, its
 * sha256 recorded), starts the run's workers on every search node (their {@link
 * SearchHostProtocol search hosts}, including nodes that join later), and runs a {@link
 * Coordinator} over the run's prompts. A coordinator that stops without finishing fails the run
 * with its reason (a pair-log write failure, say); a cancel stops it at once; a stop drains it.
 */
public final class RunManager extends AbstractBehavior<RunManagerProtocol.Command> {

  private interface Internal extends RunManagerProtocol.Command, NoSerializationVerificationNeeded {}

  /** A listing of search hosts or of trainer hosts (one adapter per message class: both come here). */
  private record HostsListed(Receptionist.Listing listing) implements Internal {}

  private record TrainerReported(TrainerHostProtocol.TrainerReport report) implements Internal {}

  private record EvaluatorReported(EvaluatorHostProtocol.EvaluatorReport report) implements Internal {}

  private record PauseProgress(Call call, String runId, boolean paused, CoordinatorProtocol.RunProgress progress)
      implements Internal {}

  /** The variant a run that trains trains: stepwise DPO on its own pair stream. */
  static final String STEPWISE_VARIANT = "longdpo";

  /** The demo's outcome-DPO baseline: trained on pairs of whole answers, from a log of its own. */
  static final String OUTCOME_VARIANT = "dpo";

  private record HostAnswered(SearchHostProtocol.HostReply reply) implements Internal {}

  private record Prepared(String runId, RunPreparation.Result result, Throwable error) implements Internal {}

  private record SearchEnded(String runId, RunSummary summary) implements Internal {}

  private record CoordinatorStopped(String runId) implements Internal {}

  private record RunEvent(String runId, String kind, String promptId, int attempts, String reason) implements Internal {}

  /** What the manager does for a run on a blocking thread now (shown in status). */
  private record Activity(String runId, String what) implements Internal {}

  private record OutcomeReady(String runId, OutcomeBaseline.Prepared prepared, Throwable error) implements Internal {}

  private record Reported(String runId, Throwable error) implements Internal {}

  private record ProgressFor(Call call, String runId, CoordinatorProtocol.RunProgress progress) implements Internal {}

  private static final Duration PROGRESS_TIMEOUT = Duration.ofSeconds(5);

  private final Config config;
  private final ManagerSettings settings;
  private final String self;
  private final String rootToken;
  private final ManagerFence fence;
  private final Executor blocking;
  private final RunReporter reporter;
  /** Every run, by id, in submit order. */
  private final Map<String, ManagedRun> runs = new LinkedHashMap<>();
  private final Set<ActorRef<SearchHostProtocol.Command>> hosts = new HashSet<>();
  private final ActorRef<SearchHostProtocol.HostReply> hostReplies;
  private final Set<ActorRef<TrainerHostProtocol.Command>> trainerHosts = new HashSet<>();
  private final ActorRef<TrainerHostProtocol.TrainerReport> trainerReplies;
  private final Set<ActorRef<EvaluatorHostProtocol.Command>> evaluatorHosts = new HashSet<>();
  private final ActorRef<EvaluatorHostProtocol.EvaluatorReport> evaluatorReplies;
  private ManagedRun active;

  /**
   * The manager over the run root {@code longdpo.node.run-root} of {@code config}.
   *
   * @param reporter writes the report of a run of the demo's job
   */
  public static Behavior<RunManagerProtocol.Command> create(Config config, RunReporter reporter) {
    return Behaviors.setup(ctx -> new RunManager(ctx, config, reporter));
  }

  private RunManager(ActorContext<RunManagerProtocol.Command> ctx, Config config, RunReporter reporter)
      throws IOException {
    super(ctx);
    this.config = config;
    this.reporter = reporter;
    this.settings = ManagerSettings.create(config);
    this.self = Cluster.get(ctx.getSystem()).selfMember().address().toString();
    this.rootToken = RunRootMarker.ensure(settings.runRoot());
    this.fence = ManagerFence.claim(settings.runRoot(), self);
    this.blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(ActorsSettings.BLOCKING_DISPATCHER));
    this.hostReplies = ctx.messageAdapter(SearchHostProtocol.HostReply.class, HostAnswered::new);
    this.trainerReplies = ctx.messageAdapter(TrainerHostProtocol.TrainerReport.class, TrainerReported::new);
    this.evaluatorReplies = ctx.messageAdapter(EvaluatorHostProtocol.EvaluatorReport.class, EvaluatorReported::new);
    loadRuns();
    ctx.getLog().info("run manager on {} (epoch {}): {} runs in {}", self, fence.epoch(), runs.size(), settings.runRoot());
    ActorRef<Receptionist.Listing> listings = ctx.messageAdapter(Receptionist.Listing.class, HostsListed::new);
    ctx.getSystem().receptionist().tell(Receptionist.subscribe(SearchHostProtocol.KEY, listings));
    ctx.getSystem().receptionist().tell(Receptionist.subscribe(TrainerHostProtocol.KEY, listings));
    ctx.getSystem().receptionist().tell(Receptionist.subscribe(EvaluatorHostProtocol.KEY, listings));
    activateNext();
  }

  private Path runsDir() {
    return settings.runRoot().resolve("runs");
  }

  private void loadRuns() throws IOException {
    Files.createDirectories(runsDir());
    List<ManagedRun> found = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(runsDir())) {
      for (Path d : (Iterable<Path>) dirs::iterator) {
        if (!d.getFileName().toString().startsWith(".") && Files.exists(d.resolve(ClusterRunFiles.SUBMIT))) {
          found.add(new ManagedRun(d, ClusterRunFiles.readSubmitted(d), ClusterRunFiles.readState(d)));
        }
      }
    }
    found.sort(Comparator.comparingLong(r -> r.submitted.seq()));
    for (ManagedRun r : found) {
      runs.put(r.id(), r);
    }
  }

  @Override
  public Receive<RunManagerProtocol.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Call.class, this::onCall)
        .onMessage(RunManagerProtocol.GetRootToken.class, g -> {
          g.replyTo().tell(new RunManagerProtocol.RootToken(rootToken));
          return this;
        })
        .onMessage(HostsListed.class, this::onHosts)
        .onMessage(HostAnswered.class, this::onHostAnswered)
        .onMessage(TrainerReported.class, this::onTrainerReported)
        .onMessage(EvaluatorReported.class, this::onEvaluatorReported)
        .onMessage(PauseProgress.class, this::onPauseProgress)
        .onMessage(Prepared.class, this::onPrepared)
        .onMessage(SearchEnded.class, this::onSearchEnded)
        .onMessage(CoordinatorStopped.class, this::onCoordinatorStopped)
        .onMessage(RunEvent.class, this::onRunEvent)
        .onMessage(Activity.class, p -> {
          ManagedRun r = runs.get(p.runId());
          if (r != null) {
            r.activity = p.what();
          }
          return this;
        })
        .onMessage(OutcomeReady.class, this::onOutcomeReady)
        .onMessage(Reported.class, this::onReported)
        .onMessage(ProgressFor.class, p -> {
          answerStatus(p.call(), p.runId(), p.progress());
          return this;
        })
        .onSignal(PostStop.class, s -> {
          if (active != null) {
            active.closeLog(getContext().getLog());
          }
          return this;
        })
        .build();
  }

  // ---- control calls ----

  private Behavior<RunManagerProtocol.Command> onCall(Call call) {
    try {
      switch (call.method()) {
        case SUBMIT -> {
          SubmitRequest r = SubmitRequest.parseFrom(call.request());
          try {
            submit(call, r);
          } finally {
            unstage(r);
          }
        }
        case LIST_RUNS -> {
          ListRunsReply.Builder b = ListRunsReply.newBuilder();
          for (ManagedRun r : runs.values()) {
            b.addRuns(status(r, null));
          }
          ok(call, b.build());
        }
        case STATUS -> status(call, StatusRequest.parseFrom(call.request()).getRunId());
        case STOP -> stop(call, StopRequest.parseFrom(call.request()).getRunId(), false);
        case CANCEL -> stop(call, StopRequest.parseFrom(call.request()).getRunId(), true);
        case PAUSE -> pause(call, PauseRequest.parseFrom(call.request()).getRunId(), true);
        case RESUME -> pause(call, PauseRequest.parseFrom(call.request()).getRunId(), false);
        case EVALUATE -> evaluate(call, EvaluateRequest.parseFrom(call.request()));
      }
    } catch (InvalidProtocolBufferException e) {
      call.replyTo().tell(new Answer(3, "malformed " + call.method() + " request: " + e.getMessage(), new byte[0]));
    } catch (RuntimeException | IOException e) {
      getContext().getLog().error("{} failed", call.method(), e);
      call.replyTo().tell(new Answer(13, call.method() + " failed on " + self + ": " + e, new byte[0]));
    }
    return this;
  }

  private void submit(Call call, SubmitRequest r) throws IOException {
    String hash = RunSubmission.requestHash(r);
    String id = r.getId();
    if (!id.isEmpty()) {
      if (!RunSubmission.ID.matcher(id).matches()) {
        fail(call, 3, "id '" + id + "': letters, digits, '-', '_' and '.' only, 1 to 64, starting with a letter or digit");
        return;
      }
      ManagedRun existing = runs.get(id);
      if (existing != null) {
        if (existing.submitted.requestSha256().equals(hash)) {
          ok(call, SubmitReply.newBuilder().setRunId(id).setExisted(true).build());
        } else {
          fail(call, 3, "id '" + id + "' names a run submitted with another request; choose another id");
        }
        return;
      }
    } else {
      id = "run-" + UUID.randomUUID().toString().substring(0, 8);
    }
    RunSubmission.Checked checked;
    try {
      checked = RunSubmission.check(r, config);
    } catch (SubmitRejected e) {
      fail(call, 3, e.getMessage());
      return;
    }
    long seq = runs.values().stream().mapToLong(x -> x.submitted.seq()).max().orElse(0) + 1;
    ClusterRunFiles.Submitted submitted = new ClusterRunFiles.Submitted(id, seq, System.currentTimeMillis(),
        checked.backend(), r.hasTestbed() && r.getTestbed().getQuick(), r.getPromptsName(), r.getSettingsName(), hash,
        r.getTrain(), r.getVariantsList().stream().map(dev.longdpo.protocol.control.Variant::getName).toList(),
        RunSubmission.isDemoJob(r), r.hasTestbed() ? RunSubmission.demoSeed(r) : 0);
    Path dir = runsDir().resolve(id);
    RunSubmission.write(dir, r, checked, submitted);
    ManagedRun run = new ManagedRun(dir, submitted, ClusterRunFiles.State.queued());
    runs.put(id, run);
    getContext().getLog().info("run {} submitted: {} prompts, {}", id, checked.tasks().size(), checked.policyName());
    ok(call, SubmitReply.newBuilder().setRunId(id).build());
    activateNext();
  }

  /** A staged model is copied into its run (or refused): the staging area does not keep it. */
  private void unstage(SubmitRequest r) {
    if (r.hasModel() && !r.getModel().getStaged().isEmpty()) {
      Path staged = settings.runRoot().resolve(r.getModel().getStaged()).normalize();
      if (staged.startsWith(settings.runRoot().resolve("incoming"))) {
        try {
          dev.longdpo.config.files.AtomicDirectory.deleteRecursively(staged);
        } catch (IOException e) {
          getContext().getLog().warn("cannot remove the staged model {}: {}", staged, e.getMessage());
        }
      }
    }
  }

  private void status(Call call, String runId) {
    ManagedRun r = runs.get(runId);
    if (r == null) {
      fail(call, 5, "no run '" + runId + "' in " + runsDir());
      return;
    }
    if (r == active && active.coordinator != null) {
      getContext().ask(CoordinatorProtocol.RunProgress.class, active.coordinator, PROGRESS_TIMEOUT,
          CoordinatorProtocol.GetProgress::new, (p, err) -> new ProgressFor(call, runId, p));
      return;
    }
    answerStatus(call, runId, null);
  }

  private void answerStatus(Call call, String runId, CoordinatorProtocol.RunProgress progress) {
    ManagedRun r = runs.get(runId);
    ok(call, status(r, progress));
  }

  private void stop(Call call, String runId, boolean cancel) throws IOException {
    ManagedRun r = runs.get(runId);
    if (r == null) {
      fail(call, 5, "no run '" + runId + "' in " + runsDir());
      return;
    }
    String reason = (cancel ? "cancelled" : "stopped") + " by a control request";
    if (r.isTerminal()) {
      // nothing to do: report where it is
    } else if (r != active) {
      r.setPhase(cancel ? "CANCELLED" : "STOPPED", reason);
    } else if (r.searchEnded) {
      // Training: the trainers stop where they are (their checkpoints stay).
      endActive(cancel ? "CANCELLED" : "STOPPED", reason);
    } else if (cancel || r.coordinator == null) {
      r.cancelled = true;
      r.stopReason = reason;
      if (r.coordinator != null) {
        getContext().stop(r.coordinator); // CoordinatorStopped ends it
      } else {
        endActive(cancel ? "CANCELLED" : "STOPPED", reason);
      }
    } else {
      if (r.paused) {
        // Trees in flight must finish for a drain to end: a paused run is resumed first.
        r.paused = false;
        r.saveCounters();
        if (r.trainers != null) {
          r.trainers.setPaused(false);
        }
        r.coordinator.tell(new Coordinator.SetPaused(false, getContext().getSystem().ignoreRef()));
        recordPause(r, false, -1);
      }
      r.draining = true;
      r.stopReason = reason;
      r.coordinator.tell(Coordinator.Drain.INSTANCE);
    }
    ok(call, status(r, null));
  }

  /**
   * Pauses or resumes the active run: its trees send no new expansion and its trainers start no
   * step while paused. Answers once the coordinator took it, with its expansion count then, which
   * {@code events.jsonl} records.
   */
  private void pause(Call call, String runId, boolean paused) throws IOException {
    ManagedRun r = runs.get(runId);
    if (r == null) {
      fail(call, 5, "no run '" + runId + "' in " + runsDir());
      return;
    }
    if (r != active) {
      fail(call, 9, "run '" + runId + "' is " + r.state.phase() + ": only the active run can be "
          + (paused ? "paused" : "resumed"));
      return;
    }
    r.paused = paused;
    r.saveCounters();
    if (r.trainers != null) {
      r.trainers.setPaused(paused);
    }
    if (r.coordinator == null) {
      recordPause(r, paused, -1);
      ok(call, status(r, null));
      return;
    }
    getContext().ask(CoordinatorProtocol.RunProgress.class, r.coordinator, PROGRESS_TIMEOUT,
        replyTo -> new Coordinator.SetPaused(paused, replyTo), (p, err) -> new PauseProgress(call, runId, paused, p));
  }

  private Behavior<RunManagerProtocol.Command> onPauseProgress(PauseProgress p) throws IOException {
    ManagedRun r = runs.get(p.runId());
    recordPause(r, p.paused(), p.progress() == null ? -1 : p.progress().expansionsStarted());
    answerStatus(p.call(), p.runId(), p.progress());
    return this;
  }

  /** Queues one checkpoint of the active run with its evaluator, marked never to be skipped. */
  private void evaluate(Call call, EvaluateRequest e) {
    ManagedRun r = runs.get(e.getRunId());
    if (r == null) {
      fail(call, 5, "no run '" + e.getRunId() + "' in " + runsDir());
      return;
    }
    if (r != active || r.evaluation == null) {
      fail(call, 9, "run '" + r.id() + "' is " + r.state.phase() + (r.submitted.trains() ? "" : " and does not train")
          + ": only the active training run's checkpoints are evaluated (its evaluator serves it)");
      return;
    }
    if (!r.evaluation.hasEvaluator()) {
      fail(call, 9, "run '" + r.id() + "' has no evaluator node now (start one with --roles evaluator)");
      return;
    }
    String name = e.getCheckpoint();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(.+)-step-(\\d+)").matcher(name);
    Path dir = name.equals("base") ? r.dir.resolve("base") : r.dir.resolve("checkpoints").resolve(name);
    if (!(name.equals("base") || m.matches()) || !Files.isDirectory(dir) || name.contains("/")) {
      fail(call, 3, "checkpoint: no checkpoint '" + name + "' in " + r.dir.resolve("checkpoints")
          + " (ctl checkpoints " + r.id() + " lists them; 'base' is the base)");
      return;
    }
    String variant = name.equals("base") ? "base" : m.group(1);
    long step = name.equals("base") ? 0 : Long.parseLong(m.group(2));
    r.evaluation.checkpointWritten(variant, name, settings.runRoot().relativize(dir).toString(), step, true);
    ok(call, status(r, null));
  }

  /** Appends a pause or resume to events.jsonl; a write that fails is logged, not thrown. */
  private void recordPause(ManagedRun r, boolean paused, long expansions) {
    String line = String.format(Locale.ROOT, "{\"event\": \"%s\", \"time_ms\": %d, \"expansions_started\": %d, "
        + "\"manager\": \"%s\"}%n", paused ? "paused" : "resumed", System.currentTimeMillis(), expansions, self);
    try {
      Files.writeString(r.dir.resolve(ClusterRunFiles.EVENTS), line, StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      getContext().getLog().error("run {}: cannot record the {} in {}", r.id(), paused ? "pause" : "resume",
          ClusterRunFiles.EVENTS, e);
    }
  }

  private void ok(Call call, Message reply) {
    call.replyTo().tell(new Answer(0, "", reply.toByteArray()));
  }

  private void fail(Call call, int code, String message) {
    call.replyTo().tell(new Answer(code, message, new byte[0]));
  }

  private RunStatus status(ManagedRun r, CoordinatorProtocol.RunProgress progress) {
    RunStatus s = RunStatusView.of(r, progress, Cluster.get(getContext().getSystem()).state(),
        r == active ? hostProblems() : List.of());
    if (r.trainers == null) {
      return s;
    }
    RunStatus.Builder b = s.toBuilder().addAllTrainers(r.trainers.status(s.getPairsWritten()));
    if (r.evaluation != null) {
      if (r.state.phase().equals("EVALUATING") && !r.evaluation.hasEvaluator() && b.getReason().isEmpty()) {
        b.setReason("waiting for an evaluator node");
      }
    }
    return b.build();
  }

  private List<String> hostProblems() {
    return active == null ? List.of() : List.copyOf(active.hostRefusals.values());
  }

  // ---- the active run ----

  private void activateNext() {
    if (active != null) {
      return;
    }
    for (ManagedRun r : runs.values()) {
      if (!r.isTerminal()) {
        activate(r);
        return;
      }
    }
  }

  private void activate(ManagedRun r) {
    active = r;
    try {
      r.setPhase("PREPARING", "");
    } catch (IOException e) {
      getContext().getLog().error("run {}: cannot write its state", r.id(), e);
    }
    getContext().getLog().info("run {}: preparing ({})", r.id(), r.submitted.backend());
    String runId = r.id();
    org.slf4j.Logger log = getContext().getLog();
    ActorRef<RunManagerProtocol.Command> me = getContext().getSelf();
    getContext().pipeToSelf(
        CompletableFuture.supplyAsync(() -> RunPreparation.prepare(r.dir, r.submitted, config, log,
            what -> me.tell(new Activity(runId, what))), blocking),
        (result, error) -> new Prepared(runId, result, error));
  }

  private Behavior<RunManagerProtocol.Command> onPrepared(Prepared p) throws IOException {
    if (active == null || !active.id().equals(p.runId())) {
      return this;
    }
    if (active.cancelled) {
      endActive(active.draining ? "STOPPED" : "CANCELLED", active.stopReason);
      return this;
    }
    if (p.error() != null) {
      Throwable cause = p.error() instanceof CompletionException && p.error().getCause() != null
          ? p.error().getCause() : p.error();
      endActive("FAILED", "preparing the base model failed on " + self + ": " + cause.getMessage());
      return this;
    }
    ManagedRun r = active;
    r.activity = "";
    r.state = new ClusterRunFiles.State("SEARCHING", "", p.result().baseSha256(), r.state.failed(), r.state.treesRerun(),
        r.state.promptsDone(), r.state.pairs(), r.paused, r.evaluations);
    ClusterRunFiles.write(r.dir.resolve(ClusterRunFiles.STATE), r.state);
    RunDirectory dir = RunDirectory.existing(r.dir);
    r.log = PairLog.open(dir.pairLog());
    Coordinator.Hold hold = Coordinator.Hold.NEVER;
    if (settings.holdAfterTrees() > 0 && settings.hookRun().equals(r.id())) {
      Path marker = settings.runRoot().resolve("hooks").resolve(r.id() + ".coordinator-held");
      hold = new Coordinator.Hold(settings.holdAfterTrees(), () -> writeMarker(marker));
    }
    Coordinator.Plan plan = new Coordinator.Plan(r.id(), dir.taskSpecs(), p.result().settings(), r.log,
        WorkerKeys.forRun(r.id()), settings.treeAttempts(), hold, fence::check, hosts.size());
    ActorRef<RunSummary> ended = getContext().messageAdapter(RunSummary.class, s -> new SearchEnded(r.id(), s));
    r.coordinator = getContext().spawn(
        Coordinator.create(plan, p.result().backends(), new ManagerListener(r.id(), getContext().getSelf()), ended),
        "coordinator-" + dev.longdpo.actors.host.ActorNames.safe(r.id()) + "-" + fence.epoch());
    getContext().watchWith(r.coordinator, new CoordinatorStopped(r.id()));
    if (r.paused) {
      r.coordinator.tell(new Coordinator.SetPaused(true, getContext().getSystem().ignoreRef()));
    }
    getContext().getLog().info("run {}: searching", r.id());
    if (r.submitted.trains()) {
      Set<String> ownStreams = r.submitted.demoJob() ? Set.of(OUTCOME_VARIANT) : Set.of();
      r.trainers = new RunTrainers(r, r.submitted.trainedVariants(), ownStreams, rootToken, trainerReplies,
          getContext().getLog(), this::nodeOf);
      r.trainers.setPaused(r.paused);
      r.trainers.hostsListed(trainerHosts);
      r.trainers.streamFrom(r.coordinator);
      r.evaluation = new RunEvaluation(r, rootToken, evaluatorReplies, getContext().getLog(), this::nodeOf);
      r.evaluation.hostsListed(evaluatorHosts);
    }
    for (ActorRef<SearchHostProtocol.Command> h : hosts) {
      activateOn(h);
    }
    return this;
  }

  private static void writeMarker(Path marker) {
    try {
      Files.createDirectories(marker.getParent());
      Files.writeString(marker, "held\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void activateOn(ActorRef<SearchHostProtocol.Command> host) {
    if (active != null && active.coordinator != null && !active.searchEnded) {
      host.tell(new SearchHostProtocol.Activate(active.id(), active.dir.toString(), active.workerBackend(), rootToken,
          hostReplies));
    }
  }

  private Behavior<RunManagerProtocol.Command> onHosts(HostsListed l) {
    if (l.listing().isForKey(TrainerHostProtocol.KEY)) {
      return onTrainerHosts(l);
    }
    if (l.listing().isForKey(EvaluatorHostProtocol.KEY)) {
      evaluatorHosts.clear();
      evaluatorHosts.addAll(l.listing().getServiceInstances(EvaluatorHostProtocol.KEY));
      if (active != null && active.evaluation != null) {
        active.evaluation.hostsListed(evaluatorHosts);
      }
      return this;
    }
    Set<ActorRef<SearchHostProtocol.Command>> now = new HashSet<>(l.listing().getServiceInstances(SearchHostProtocol.KEY));
    for (ActorRef<SearchHostProtocol.Command> h : now) {
      if (!hosts.contains(h)) {
        activateOn(h);
      }
    }
    hosts.clear();
    hosts.addAll(now);
    return this;
  }

  /** A host's node as the cluster names it (a local reference's address has no host and port). */
  private String nodeOf(ActorRef<?> ref) {
    org.apache.pekko.actor.Address a = ref.path().address();
    return a.hasGlobalScope() ? a.toString() : self;
  }

  private Behavior<RunManagerProtocol.Command> onTrainerHosts(HostsListed l) {
    trainerHosts.clear();
    trainerHosts.addAll(l.listing().getServiceInstances(TrainerHostProtocol.KEY));
    if (active != null && active.trainers != null) {
      active.trainers.hostsListed(trainerHosts);
    }
    return this;
  }

  private Behavior<RunManagerProtocol.Command> onTrainerReported(TrainerReported t) throws IOException {
    TrainerHostProtocol.TrainerReport report = t.report();
    ManagedRun r = active;
    if (r == null || r.trainers == null || !r.id().equals(report.runId()) || !r.trainers.report(report)) {
      return this;
    }
    // One name everywhere: pairs written minus the offset the trainer reached (status says the same).
    dev.longdpo.actors.metrics.NodeMeters.set("longdpo.train.lag",
        r.trainers.lag(report.variant(), r.log != null ? r.log.pairCount() : r.pairs), "variant", report.variant());
    if (report.kind() == TrainerHostProtocol.Kind.CHECKPOINTED) {
      String relative = settings.runRoot().relativize(r.dir.resolve("checkpoints").resolve(report.checkpoint())).toString();
      r.evaluation.checkpointWritten(report.variant(), report.checkpoint(), relative, report.step(), false);
    } else if (report.kind() == TrainerHostProtocol.Kind.FINISHED) {
      String relative = settings.runRoot().relativize(r.dir.resolve("checkpoints").resolve(report.checkpoint())).toString();
      r.evaluation.checkpointWritten(report.variant(), report.checkpoint(), relative, report.step(), true);
    }
    checkTrainingRun(r);
    return this;
  }

  private Behavior<RunManagerProtocol.Command> onEvaluatorReported(EvaluatorReported e) throws IOException {
    ManagedRun r = active;
    if (r == null || r.evaluation == null || !r.id().equals(e.report().runId())) {
      return this;
    }
    r.evaluation.report(e.report());
    r.evaluations = r.evaluation.latest();
    r.saveCounters();
    checkTrainingRun(r);
    return this;
  }

  /**
   * A run that trains ends when its search is over, every variant wrote its final checkpoint and,
   * if it was ever given to an evaluator, the base and every final checkpoint are evaluated; it
   * fails with the first trainer's or evaluation's failure.
   */
  private void checkTrainingRun(ManagedRun r) throws IOException {
    java.util.Optional<String> failure = r.trainers.failure().or(r.evaluation::failure);
    if (failure.isPresent()) {
      endActive("FAILED", failure.get());
      return;
    }
    if (!r.searchEnded || !r.trainers.allFinished()) {
      return;
    }
    if (r.draining) {
      endActive("STOPPED", r.stopReason);
      return;
    }
    List<String> wanted = new ArrayList<>(r.trainers.finalCheckpoints());
    wanted.add("base");
    // The demo's job waits for an evaluator: its report is made of the evaluations.
    if ((r.evaluation.everAssigned() || r.submitted.demoJob()) && !r.evaluation.evaluatedAll(wanted)) {
      if (!r.state.phase().equals("EVALUATING")) {
        r.setPhase("EVALUATING", "");
        getContext().getLog().info("run {}: trained, evaluating the final checkpoints", r.id());
      }
      return;
    }
    if (r.submitted.demoJob()) {
      report(r);
      return;
    }
    String reason = doneReason(r);
    if (!r.evaluation.everAssigned()) {
      reason = (reason.isEmpty() ? "" : reason + "; ") + "no evaluator node: checkpoints not evaluated";
    }
    endActive("DONE", reason);
  }

  private static String doneReason(ManagedRun r) {
    return r.failed.isEmpty() ? "" : r.failed.size() + " prompts failed";
  }

  private Behavior<RunManagerProtocol.Command> onHostAnswered(HostAnswered a) {
    SearchHostProtocol.HostReply reply = a.reply();
    if (active != null && active.id().equals(reply.runId())) {
      if (reply.ok()) {
        active.hostRefusals.remove(reply.node());
      } else {
        getContext().getLog().error("run {}: {}", reply.runId(), reply.reason());
        active.hostRefusals.put(reply.node(), reply.reason());
      }
    }
    return this;
  }

  private Behavior<RunManagerProtocol.Command> onRunEvent(RunEvent e) throws IOException {
    ManagedRun r = runs.get(e.runId());
    if (r == null) {
      return this;
    }
    switch (e.kind()) {
      case "rerouted" -> {
        r.rerouted(e.promptId());
        r.saveCounters();
      }
      case "failed-prompt" -> {
        r.failed.put(e.promptId(), new ClusterRunFiles.Failed(e.promptId(), e.attempts(), e.reason()));
        r.saveCounters();
      }
      case "run-failed" -> r.failure = e.reason();
      default -> { }
    }
    return this;
  }

  private Behavior<RunManagerProtocol.Command> onSearchEnded(SearchEnded e) throws IOException {
    if (active == null || !active.id().equals(e.runId())) {
      return this;
    }
    ManagedRun r = active;
    RunSummary s = e.summary();
    r.done = s.trees();
    r.pairs = s.pairs();
    RunDirectory.existing(r.dir).writeSummary(s);
    r.searchEnded = true;
    if (r.draining) {
      endActive("STOPPED", r.stopReason);
    } else if (r.trainers != null) {
      // The coordinator goes on serving the pair stream: the trainers' last pass still reads it.
      r.setPhase("TRAINING", "");
      for (ActorRef<SearchHostProtocol.Command> h : hosts) {
        h.tell(new SearchHostProtocol.Deactivate(r.id())); // their models are not needed any more
      }
      getContext().getLog().info("run {}: search over, training", r.id());
      if (r.submitted.demoJob()) {
        sampleOutcomeBaseline(r);
      }
      checkTrainingRun(r);
    } else {
      endActive("DONE", s.failed() > 0 ? s.failed() + " prompts failed" : "");
    }
    return this;
  }

  private Behavior<RunManagerProtocol.Command> onCoordinatorStopped(CoordinatorStopped s) throws IOException {
    if (active == null || !active.id().equals(s.runId())) {
      return this;
    }
    if (active.cancelled) {
      endActive("CANCELLED", active.stopReason);
    } else {
      endActive("FAILED", active.failure != null ? active.failure
          : "the run's coordinator stopped on " + self + " (see its log under nodes/)");
    }
    return this;
  }

  private void endActive(String phase, String reason) throws IOException {
    ManagedRun r = active;
    if (r.coordinator != null) {
      getContext().unwatch(r.coordinator);
      getContext().stop(r.coordinator);
    }
    if (r.trainers != null) {
      r.trainers.stopAll();
      r.trainers = null;
    }
    if (r.evaluation != null) {
      r.evaluation.stop();
      r.evaluation = null;
    }
    if (r.outcomeReplay != null) {
      getContext().stop(r.outcomeReplay);
      r.outcomeReplay = null;
    }
    r.activity = "";
    r.closeLog(getContext().getLog());
    r.coordinator = null;
    r.setPhase(phase, reason);
    for (ActorRef<SearchHostProtocol.Command> h : hosts) {
      h.tell(new SearchHostProtocol.Deactivate(r.id()));
    }
    getContext().getLog().info("run {}: {}{}", r.id(), phase.toLowerCase(Locale.ROOT),
        reason.isEmpty() ? "" : " (" + reason + ")");
    active = null;
    activateNext();
  }

  /**
   * The demo's job: samples the outcome baseline's pairs once the search is over (or reads them
   * back, after a manager took over), then trains its variant on their replay.
   */
  private void sampleOutcomeBaseline(ManagedRun r) {
    if (r.outcomeStarted) {
      return;
    }
    r.outcomeStarted = true;
    String runId = r.id();
    ActorRef<RunManagerProtocol.Command> me = getContext().getSelf();
    getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> {
      try {
        return OutcomeBaseline.prepare(r.dir, config, what -> me.tell(new Activity(runId, what)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, blocking), (prepared, error) -> new OutcomeReady(runId, prepared, error));
  }

  private Behavior<RunManagerProtocol.Command> onOutcomeReady(OutcomeReady o) throws IOException {
    ManagedRun r = active;
    if (r == null || !r.id().equals(o.runId()) || r.trainers == null) {
      return this;
    }
    r.activity = "";
    if (o.error() != null) {
      endActive("FAILED", "the outcome baseline failed on " + self + ": " + rootCause(o.error()).getMessage());
      return this;
    }
    OutcomeBaseline.Plan plan = o.prepared().plan();
    r.outcomeReplay = getContext().spawn(dev.longdpo.actors.stream.PairReplay.create(o.prepared().pairs()),
        "outcome-" + dev.longdpo.actors.host.ActorNames.safe(r.id()) + "-" + fence.epoch());
    getContext().getLog().info("run {}: outcome baseline of {} pairs ({} tokens), trained on {} tokens", r.id(),
        plan.pairs(), plan.pairTokens(), plan.tokenBudget());
    r.trainers.replayFor(OUTCOME_VARIANT, r.outcomeReplay, plan.pairs(), plan.pairTokens(), plan.tokenBudget());
    return this;
  }

  /** The demo's job: everything is evaluated; the report is written, then the run is done. */
  private void report(ManagedRun r) throws IOException {
    if (r.reporting) {
      return;
    }
    r.reporting = true;
    r.setPhase("REPORTING", "");
    r.activity = "writing the report";
    String runId = r.id();
    getContext().pipeToSelf(CompletableFuture.runAsync(() -> {
      try {
        reporter.write(r.dir);
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    }, blocking), (ok, error) -> new Reported(runId, error));
  }

  private Behavior<RunManagerProtocol.Command> onReported(Reported rep) throws IOException {
    if (active == null || !active.id().equals(rep.runId())) {
      return this;
    }
    if (rep.error() != null) {
      getContext().getLog().error("run {}: writing the report failed", rep.runId(), rep.error());
      endActive("FAILED", "writing the report failed on " + self + ": " + rootCause(rep.error()));
    } else {
      endActive("DONE", doneReason(active));
    }
    return this;
  }

  private static Throwable rootCause(Throwable t) {
    while ((t instanceof CompletionException || t instanceof UncheckedIOException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** Turns the coordinator's callbacks (on its thread) into messages to the manager. */
  private record ManagerListener(String runId, ActorRef<RunManagerProtocol.Command> manager)
      implements dev.longdpo.coordinator.RunListener {
    @Override
    public void promptFailed(String promptId, int attempts, String reason) {
      manager.tell(new RunEvent(runId, "failed-prompt", promptId, attempts, reason));
    }

    @Override
    public void treeRerouted(String promptId) {
      manager.tell(new RunEvent(runId, "rerouted", promptId, 0, ""));
    }

    @Override
    public void runFailed(String reason) {
      manager.tell(new RunEvent(runId, "run-failed", "", 0, reason));
    }
  }
}
