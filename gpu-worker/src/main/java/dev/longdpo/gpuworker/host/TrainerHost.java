package dev.longdpo.gpuworker.host;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import dev.longdpo.actors.ActorsSettings;
import dev.longdpo.actors.host.ActorNames;
import dev.longdpo.actors.host.HookMarker;
import dev.longdpo.actors.host.RunRootMarker;
import dev.longdpo.actors.host.TrainerAssignment;
import dev.longdpo.gpuworker.GpuWorker;
import dev.longdpo.gpuworker.TrainerCheckpoints;
import dev.longdpo.gpuworker.TrainingListener;
import dev.longdpo.gpuworker.WorkerPlan;
import dev.longdpo.gpuworker.dpo.DpoSettings;
import dev.longdpo.gpuworker.dpo.StepMetrics;
import dev.longdpo.protocol.cluster.TrainerHostProtocol;
import dev.longdpo.protocol.cluster.TrainerHostProtocol.Kind;
import dev.longdpo.protocol.cluster.TrainerHostProtocol.TrainerReport;
import dev.longdpo.protocol.training.CheckpointWritten;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * The trainer side of a {@code trainer} node: runs a gpu-worker for each variant the run manager
 * assigns here. A worker starts from the variant's latest checkpoint in the run directory (so a
 * variant that moves here after its trainer was lost resumes exactly where that trainer's last
 * checkpoint left it) or from the run's base, with the run's {@code train.conf}; it reports its
 * progress to the manager and records it in {@code <run>/train/<variant>.jsonl}.
 */
public final class TrainerHost extends AbstractBehavior<TrainerHostProtocol.Command> {

  /** The run's training settings, resolved at submit (over a node's {@code longdpo.train}). */
  public static final String TRAIN_CONF = "train.conf";

  /**
   * A fault-injection hook for tests: in run {@code runId}, a worker (of {@code variant} only,
   * unless it is empty) stops stepping once it wrote the checkpoint at step {@code holdAtStep}, and
   * writes {@code <run-root>/hooks/<run>.trainer-held} (holding this node's address).
   */
  public record Hooks(String runId, long holdAtStep, String variant) {
    /** No hooks. */
    public static final Hooks NONE = new Hooks("", 0, "");
  }

  /**
   * The node is leaving (SIGTERM): each worker writes a checkpoint of where it is and stops; then
   * the host leaves the receptionist (so the variants move, to resume from those checkpoints) and
   * answers.
   */
  public record Leave(ActorRef<Done> replyTo) implements TrainerHostProtocol.Command {}

  private record CheckpointedForLeave(String key, boolean written) implements TrainerHostProtocol.Command {}

  /**
   * How long a leaving worker may take to write its checkpoint: under the node's ask (55 s) and
   * the shutdown phase (60 s, node.conf), so the host still answers when one is slow.
   */
  private static final Duration LEAVE_CHECKPOINT = Duration.ofSeconds(50);

  private record WorkerStopped(String key, long assignment) implements TrainerHostProtocol.Command {}

  /**
   * A worker this host runs, with where its reports go: the run manager that sent the last
   * {@code Train} of this assignment (a manager that took over sends one), and whether it has
   * reported its end.
   */
  private record Running(String runId, String variant, long assignment, ActorRef<GpuWorker.Command> worker,
      ReportTo reports) {}

  private final Path runRoot;
  private final String nodeName;
  private final Config nodeConfig;
  private final Hooks hooks;
  private final Map<String, Running> running = new HashMap<>();
  private boolean leaving;
  private int leavingWorkers;
  private ActorRef<Done> leaveReply;

  /**
   * @param runRoot this node's view of the shared run root
   * @param nodeName how reports name this node (its cluster address)
   * @param nodeConfig the node's settings (a run's {@code train.conf} overrides them)
   */
  public static Behavior<TrainerHostProtocol.Command> create(Path runRoot, String nodeName, Config nodeConfig,
      Hooks hooks) {
    return Behaviors.setup(ctx -> new TrainerHost(ctx, runRoot, nodeName, nodeConfig, hooks));
  }

  private TrainerHost(ActorContext<TrainerHostProtocol.Command> ctx, Path runRoot, String nodeName, Config nodeConfig,
      Hooks hooks) {
    super(ctx);
    this.runRoot = runRoot;
    this.nodeName = nodeName;
    this.nodeConfig = nodeConfig;
    this.hooks = hooks;
    ctx.getSystem().receptionist().tell(Receptionist.register(TrainerHostProtocol.KEY, ctx.getSelf()));
  }

  @Override
  public Receive<TrainerHostProtocol.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(TrainerHostProtocol.Train.class, this::onTrain)
        .onMessage(TrainerHostProtocol.StopTraining.class, s -> {
          stop(s.runId() + "/" + s.variant());
          return this;
        })
        .onMessage(TrainerHostProtocol.SetPaused.class, p -> {
          for (Running r : running.values()) {
            if (r.runId().equals(p.runId())) {
              r.worker().tell(new GpuWorker.SetPaused(p.paused()));
            }
          }
          return this;
        })
        .onMessage(WorkerStopped.class, w -> {
          Running r = running.get(w.key());
          if (r != null && r.assignment() == w.assignment()) {
            running.remove(w.key());
            if (!r.reports().ended() && !leaving) {
              // Stopped without saying why (an error outside its step, say): the manager must hear.
              r.reports().failed(r.variant(), new IllegalStateException(
                  nodeName + ": the worker of " + r.variant() + " stopped unexpectedly (see this node's log)"));
            }
          }
          return this;
        })
        .onMessage(Leave.class, this::onLeave)
        .onMessage(CheckpointedForLeave.class, c -> {
          getContext().getLog().info("{}: {} before leaving", c.key(),
              c.written() ? "checkpoint written" : "no checkpoint written (the last one stays)");
          running.remove(c.key());
          if (--leavingWorkers == 0) {
            left();
          }
          return this;
        })
        .build();
  }

  private Behavior<TrainerHostProtocol.Command> onLeave(Leave l) {
    if (leaving) {
      return this;
    }
    leaving = true;
    leaveReply = l.replyTo();
    leavingWorkers = running.size();
    if (leavingWorkers == 0) {
      left();
    }
    for (Map.Entry<String, Running> e : running.entrySet()) {
      String key = e.getKey();
      getContext().ask(Boolean.class, e.getValue().worker(), LEAVE_CHECKPOINT, GpuWorker.CheckpointAndStop::new,
          (written, error) -> new CheckpointedForLeave(key, written != null && written));
    }
    return this;
  }

  /** Every worker checkpointed (or gave up): leave the receptionist, so the variants move. */
  private void left() {
    getContext().getSystem().receptionist().tell(Receptionist.deregister(TrainerHostProtocol.KEY, getContext().getSelf()));
    leaveReply.tell(Done.getInstance());
  }

  private Behavior<TrainerHostProtocol.Command> onTrain(TrainerHostProtocol.Train t) {
    String key = t.runId() + "/" + t.variant();
    Running r = running.get(key);
    if (r != null && r.assignment() == t.assignment()) {
      // The same assignment from a manager that took over: reports go to it from now on, and it
      // hears where training is.
      r.reports().replyTo(t.replyTo());
      r.worker().tell(new GpuWorker.UseStream(t.stream()));
      r.worker().tell(new GpuWorker.SetPaused(t.paused()));
      r.worker().tell(GpuWorker.ReportProgress.INSTANCE);
      return this;
    }
    if (r != null) {
      stop(key);
    }
    if (leaving) {
      getContext().getLog().info("run {}: not training {} (this node is leaving)", t.runId(), t.variant());
      return this;
    }
    ReportTo reports = new ReportTo(t, nodeName, new AtomicReference<>(t.replyTo()), new AtomicBoolean());
    try {
      String refused = RunRootMarker.check(runRoot, t.rootToken(), nodeName);
      if (refused != null) {
        throw new IllegalStateException(refused);
      }
      Path runDir = Path.of(t.runDir());
      Config runConfig = runConfig(runDir, t.variant());
      DpoSettings settings = DpoSettings.create(runConfig);
      Path checkpoints = runDir.resolve("checkpoints");
      Optional<TrainerCheckpoints.Found> latest = TrainerCheckpoints.latest(checkpoints, t.variant());
      long assignment = t.assignment();
      int scheduleSteps = t.replayPairs() > 0
          ? WorkerPlan.replayScheduleSteps(t.replayPairs(), (double) t.replayTokens() / t.replayPairs(), settings,
              t.tokenBudget())
          : WorkerPlan.estimatedScheduleSteps(t.prompts(), settings);
      WorkerPlan plan = new WorkerPlan(t.variant(), runDir.resolve("base"), latest.map(TrainerCheckpoints.Found::dir),
          settings, checkpoints, scheduleSteps, t.tokenBudget(),
          checkpointInterval(runConfig), streamRetry(runConfig),
          () -> TrainerAssignment.check(runDir, t.variant(), assignment), hold(t.runId(), t.variant()));
      // Reports first: a record that cannot be written must not keep the manager from hearing.
      TrainingListener listener = new Both(reports,
          new Both(new TrainerRecords(runDir, t.variant(), nodeName, assignment), new TrainerMeters(t.variant())));
      ActorRef<GpuWorker.Command> worker = getContext().spawn(
          GpuWorker.create(plan, t.stream(), List.of(), listener),
          "train-" + ActorNames.safe(t.runId()) + "-" + t.variant() + "-" + assignment,
          DispatcherSelector.fromConfig(ActorsSettings.BLOCKING_DISPATCHER));
      if (t.paused()) {
        worker.tell(new GpuWorker.SetPaused(true));
      }
      getContext().watchWith(worker, new WorkerStopped(key, assignment));
      running.put(key, new Running(t.runId(), t.variant(), assignment, worker, reports));
      getContext().getLog().info("run {}: training {} (assignment {}) from {}", t.runId(), t.variant(), assignment,
          latest.map(TrainerCheckpoints.Found::name).orElse("the base"));
    } catch (IOException | RuntimeException e) {
      String reason = nodeName + ": cannot train " + t.variant() + " of run " + t.runId() + ": " + e.getMessage();
      getContext().getLog().error("{}", reason, e);
      reports.failed(t.variant(), new IllegalStateException(reason, e));
    }
    return this;
  }

  private void stop(String key) {
    Running r = running.remove(key);
    if (r != null) {
      getContext().stop(r.worker());
      getContext().getLog().info("run {}: training of {} stopped here", r.runId(), r.variant());
    }
  }

  /** The run's settings, with {@code variant}'s overrides of {@code longdpo.train} ({@code .variants}). */
  private Config runConfig(Path runDir, String variant) {
    Path conf = runDir.resolve(TRAIN_CONF);
    Config c = Files.exists(conf) ? ConfigFactory.parseFile(conf.toFile()).withFallback(nodeConfig) : nodeConfig;
    String own = ConfigUtil.joinPath("longdpo", "train", "variants", variant);
    if (c.hasPath(own)) {
      c = c.getConfig(own).atPath("longdpo.train").withFallback(c);
    }
    return c.resolve();
  }

  private static Duration checkpointInterval(Config c) {
    String key = "longdpo.train.checkpoint-interval";
    Duration d = c.getDuration(key);
    if (d.isNegative()) {
      throw new dev.longdpo.config.SettingsException(key, key + ": 0s or more, got " + d);
    }
    return d;
  }

  private static Duration streamRetry(Config c) {
    String key = "longdpo.train.stream-retry";
    Duration d = c.getDuration(key);
    if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new dev.longdpo.config.SettingsException(key, key + ": 1s to 10m, got " + d);
    }
    return d;
  }

  private WorkerPlan.Hold hold(String runId, String variant) {
    if (hooks.holdAtStep() <= 0 || !hooks.runId().equals(runId)
        || !(hooks.variant().isEmpty() || hooks.variant().equals(variant))) {
      return WorkerPlan.Hold.NEVER;
    }
    return new WorkerPlan.Hold(hooks.holdAtStep(), () -> HookMarker.write(runRoot, runId, "trainer", nodeName));
  }

  /**
   * The worker's events as reports to the run manager (called on the worker's thread; the target
   * changes when a manager takes over).
   */
  private record ReportTo(TrainerHostProtocol.Train t, String node, AtomicReference<ActorRef<TrainerReport>> target,
      AtomicBoolean endReported) implements TrainingListener {
    void replyTo(ActorRef<TrainerReport> manager) {
      target.set(manager);
    }

    boolean ended() {
      return endReported.get();
    }

    private void send(Kind kind, long step, long offset, int epoch, double loss, String checkpoint, String message) {
      target.get().tell(new TrainerReport(t.runId(), t.variant(), t.assignment(), node, kind, step, offset, epoch, loss,
          checkpoint, message));
    }

    @Override
    public void progressed(String variant, long step, long nextOffset, int epoch) {
      send(Kind.STEPPED, step, nextOffset, epoch, Double.NaN, "", "");
    }

    @Override
    public void started(String variant, String resumedFrom, long step, long streamOffset, int epoch) {
      send(Kind.STARTED, step, streamOffset, epoch, Double.NaN, resumedFrom, "");
    }

    @Override
    public void stepped(String variant, int epoch, StepMetrics m, long nextOffset) {
      send(Kind.STEPPED, m.step(), nextOffset, epoch, m.loss(), "", "");
    }

    @Override
    public void checkpointed(CheckpointWritten c) {
      send(Kind.CHECKPOINTED, c.step(), c.streamOffset(), 0, Double.NaN, c.name(), "");
    }

    @Override
    public void finished(String variant, TrainingSummary s) {
      String name = s.lastCheckpoint() == null ? "" : s.lastCheckpoint().name();
      long offset = s.lastCheckpoint() == null ? 0 : s.lastCheckpoint().streamOffset();
      endReported.set(true);
      send(Kind.FINISHED, s.steps(), offset, s.epochs() - 1, Double.NaN, name, "");
    }

    @Override
    public void failed(String variant, Exception error) {
      endReported.set(true);
      send(Kind.FAILED, 0, 0, 0, Double.NaN, "", String.valueOf(error.getMessage()));
    }
  }

  /** Two listeners, in order. */
  private record Both(TrainingListener first, TrainingListener second) implements TrainingListener {
    @Override
    public void progressed(String variant, long step, long nextOffset, int epoch) {
      first.progressed(variant, step, nextOffset, epoch);
      second.progressed(variant, step, nextOffset, epoch);
    }

    @Override
    public void paused(String variant, boolean paused, long step) {
      first.paused(variant, paused, step);
      second.paused(variant, paused, step);
    }

    @Override
    public void started(String variant, String resumedFrom, long step, long streamOffset, int epoch) {
      first.started(variant, resumedFrom, step, streamOffset, epoch);
      second.started(variant, resumedFrom, step, streamOffset, epoch);
    }

    @Override
    public void stepped(String variant, int epoch, StepMetrics m, long nextOffset) {
      first.stepped(variant, epoch, m, nextOffset);
      second.stepped(variant, epoch, m, nextOffset);
    }

    @Override
    public void checkpointed(CheckpointWritten c) {
      first.checkpointed(c);
      second.checkpointed(c);
    }

    @Override
    public void finished(String variant, TrainingSummary s) {
      first.finished(variant, s);
      second.finished(variant, s);
    }

    @Override
    public void failed(String variant, Exception error) {
      first.failed(variant, error);
      second.failed(variant, error);
    }
  }
}
