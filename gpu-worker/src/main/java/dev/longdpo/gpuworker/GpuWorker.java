package dev.longdpo.gpuworker;

import dev.longdpo.gpuworker.dpo.DpoTrainer;
import dev.longdpo.gpuworker.dpo.StepMetrics;
import dev.longdpo.gpuworker.dpo.TrainingPair;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.protocol.coordinator.CoordinatorProtocol;
import dev.longdpo.protocol.pairs.PairStreamProtocol;
import dev.longdpo.protocol.pairs.PreferencePair;
import dev.longdpo.protocol.training.CheckpointWritten;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Trains one model variant with stepwise DPO on the coordinator's pair stream, as pairs arrive.
 *
 * <p>Flow control: the worker grants the stream {@code stream-window} pairs of credit and grants
 * more only as it trains on them, so at most a window of pairs waits here however fast the search
 * runs. Pairs are trained in stream order in micro-batches of {@code batch-pairs}; when the run
 * ends the last partial batch is trained too. Further epochs subscribe again from offset 0: the
 * coordinator replays its pair log. Checkpoints (model, optimizer, epoch and stream offset) are
 * written every {@code checkpoint-every} steps (and every {@code checkpointInterval}) and at the end,
 * and announced to the coordinator and the evaluators. A checkpoint resumes exactly: same pairs
 * next, same next loss, same schedule.
 *
 * <p>The stream's owner may be on another node and may move (the run manager's node died): the
 * worker watches the owner it was given and takes a new one with {@link UseStream}; deliveries are
 * placed by offset (overlaps trimmed, gaps and stale passes dropped), and a worker that waits
 * without pairs for {@code streamRetry} subscribes again from its offset, so a lost message
 * stalls nothing and no pair is trained twice.
 *
 * <p>Spawn it on the blocking dispatcher: a step holds the thread for about a second. Training
 * steps run alone in the JVM: other workers' steps and all inference wait for them (DJL's
 * gradient collector is global), see {@code GradientLock}.
 */
public final class GpuWorker extends AbstractBehavior<GpuWorker.Command> {

  /** The worker's messages; all local. */
  public interface Command extends NoSerializationVerificationNeeded {}

  /** Take the stream from {@code stream} from now on, subscribing again from this worker's offset. */
  public record UseStream(ActorRef<CoordinatorProtocol.Command> stream) implements Command {}

  /** Pause (no step starts; deliveries still buffer up to the window) or resume. */
  public record SetPaused(boolean paused) implements Command {}

  /** Tell the listener where training is ({@link TrainingListener#progressed}): a new manager asks. */
  public enum ReportProgress implements Command { INSTANCE }

  /**
   * Write a checkpoint of where training is (unless the last one is there already), answer, and
   * stop: the node is leaving, and whoever takes the variant resumes from here. Answers {@code
   * false} when no checkpoint could be written (the last one stays).
   */
  public record CheckpointAndStop(ActorRef<Boolean> replyTo) implements Command {}

  private record Delivered(PairStreamProtocol.Delivery delivery) implements Command {}

  private record StreamLost(ActorRef<CoordinatorProtocol.Command> owner) implements Command {}

  private enum TrainNext implements Command { INSTANCE }

  private enum RetryTick implements Command { INSTANCE }

  private final WorkerPlan plan;
  /**
   * This worker's name on the stream: the variant and the actor, so that a worker the variant
   * moved away from cannot end the subscription of the one that took it.
   */
  private final String subscriberId;
  private ActorRef<CoordinatorProtocol.Command> stream;
  /** The step of the newest checkpoint on disk that this worker wrote or resumed from; -1: none. */
  private long checkpointedStep = -1;
  private final List<ActorRef<CheckpointWritten>> announceTo;
  private final TrainingListener listener;
  private final ActorRef<PairStreamProtocol.Delivery> deliveries;
  private final Deque<Offered> buffer = new ArrayDeque<>();
  private final DpoTrainer trainer;
  private final LanguageModel ownModel;
  private final long started = System.nanoTime();
  private long trainNanos;
  private boolean streamEnded;
  /** The stream offset the next delivery of the current subscription starts at. */
  private long expectedOffset;
  private boolean trainScheduled;
  private CheckpointWritten lastCheckpoint;
  private long lastCheckpointNanos = System.nanoTime();
  private boolean paused;
  /** Stopped by the test hook: no more steps. */
  private boolean held;
  private boolean deliveredSinceTick;
  /** The resumed checkpoint was the variant's final one: nothing to train. */
  private final boolean alreadyFinished;

  /** A pair with its stream offset. */
  private record Offered(long offset, TrainingPair pair) {}

  /**
   * @param stream the coordinator (or a replay) serving the pair stream
   * @param announceTo receivers of every checkpoint (the coordinator, evaluators)
   */
  public static Behavior<Command> create(
      WorkerPlan plan, ActorRef<CoordinatorProtocol.Command> stream, List<ActorRef<CheckpointWritten>> announceTo,
      TrainingListener listener) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      GpuWorker w;
      try {
        w = new GpuWorker(ctx, plan, stream, announceTo, listener);
      } catch (RuntimeException e) {
        ctx.getLog().error("{}: cannot start training: {}", plan.variant(), e.getMessage());
        listener.failed(plan.variant(), e);
        return Behaviors.stopped();
      }
      if (w.alreadyFinished) {
        return w.finishedBefore();
      }
      w.start();
      timers.startTimerWithFixedDelay(RetryTick.INSTANCE, plan.streamRetry());
      return w;
    }));
  }

  private GpuWorker(
      ActorContext<Command> ctx, WorkerPlan plan, ActorRef<CoordinatorProtocol.Command> stream,
      List<ActorRef<CheckpointWritten>> announceTo, TrainingListener listener) {
    super(ctx);
    this.plan = plan;
    this.stream = stream;
    this.announceTo = List.copyOf(announceTo);
    this.listener = listener;
    this.deliveries = ctx.messageAdapter(PairStreamProtocol.Delivery.class, Delivered::new);
    this.subscriberId = plan.variant() + "#" + ctx.getSelf().path().name() + "#" + ctx.getSelf().path().uid();
    if (plan.resumeFrom().isPresent()) {
      this.ownModel = null;
      this.trainer = DpoTrainer.resume(plan.resumeFrom().get(), plan.settings(), plan.scheduleSteps());
      try {
        this.alreadyFinished = readFinished(plan.resumeFrom().get());
      } catch (RuntimeException e) {
        trainer.close();
        throw e;
      }
      this.checkpointedStep = trainer.step();
    } else {
      this.ownModel = LanguageModel.load(plan.start(), true);
      this.trainer = new DpoTrainer(ownModel, plan.settings(), plan.scheduleSteps());
      this.alreadyFinished = false;
    }
  }

  private static boolean readFinished(Path checkpoint) {
    try {
      return TrainerCheckpoints.read(checkpoint).finished();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void start() {
    String from = plan.resumeFrom().map(p -> p.getFileName().toString()).orElse("");
    listener.started(plan.variant(), from, trainer.step(), trainer.streamOffset(), trainer.epoch());
    getContext().watchWith(stream, new StreamLost(stream));
    subscribe(trainer.streamOffset());
  }

  /** The resumed checkpoint was final: report it as the end of training and stop. */
  private Behavior<Command> finishedBefore() {
    Path dir = plan.resumeFrom().orElseThrow();
    lastCheckpoint = new CheckpointWritten(plan.variant(), dir.getFileName().toString(), dir.toString(), trainer.step(),
        trainer.trainedTokens(), trainer.streamOffset(), true);
    listener.finished(plan.variant(), summary());
    closeModels();
    return Behaviors.stopped();
  }

  private void closeModels() {
    trainer.close();
    if (ownModel != null) {
      ownModel.close();
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Delivered.class, this::onDelivered)
        .onMessageEquals(TrainNext.INSTANCE, this::onTrainNext)
        .onMessageEquals(RetryTick.INSTANCE, this::onRetryTick)
        .onMessage(UseStream.class, this::onUseStream)
        .onMessage(StreamLost.class, l -> {
          if (l.owner().equals(stream)) {
            getContext().getLog().warn("{}: the pair stream's owner {} is gone; waiting for its successor",
                plan.variant(), stream);
          }
          return this;
        })
        .onMessageEquals(ReportProgress.INSTANCE, () -> {
          listener.progressed(plan.variant(), trainer.step(), expectedOffset - buffer.size(), trainer.epoch());
          return this;
        })
        .onMessage(CheckpointAndStop.class, c -> {
          boolean written = true;
          if (checkpointedStep != trainer.step()) {
            try {
              checkpoint(false);
            } catch (java.io.IOException | RuntimeException e) {
              getContext().getLog().error("{}: no checkpoint before leaving: {}", plan.variant(), e.getMessage());
              written = false;
            }
          }
          stream.tell(new PairStreamProtocol.Unsubscribe(subscriberId));
          c.replyTo().tell(written);
          return Behaviors.stopped();
        })
        .onMessage(SetPaused.class, p -> {
          if (p.paused() != paused) {
            paused = p.paused();
            listener.paused(plan.variant(), paused, trainer.step());
          }
          scheduleTraining();
          return this;
        })
        .onSignal(org.apache.pekko.actor.typed.PostStop.class, s -> {
          closeModels();
          return this;
        })
        .build();
  }

  private void subscribe(long fromOffset) {
    streamEnded = false;
    expectedOffset = fromOffset;
    stream.tell(new PairStreamProtocol.Subscribe(subscriberId, fromOffset, deliveries));
    stream.tell(new PairStreamProtocol.Request(subscriberId, plan.settings().streamWindow()));
  }

  /** Subscribes again where this worker is, asking for what its buffer has room for. */
  private void resubscribe() {
    stream.tell(new PairStreamProtocol.Subscribe(subscriberId, expectedOffset, deliveries));
    int room = plan.settings().streamWindow() - buffer.size();
    if (room > 0) {
      stream.tell(new PairStreamProtocol.Request(subscriberId, room));
    }
  }

  private Behavior<Command> onUseStream(UseStream u) {
    if (!u.stream().equals(stream)) {
      getContext().unwatch(stream);
      stream = u.stream();
      getContext().watchWith(stream, new StreamLost(stream));
      getContext().getLog().info("{}: taking the pair stream from {} at offset {}", plan.variant(), stream,
          expectedOffset);
      if (!streamEnded) {
        resubscribe();
      }
    }
    return this;
  }

  /** No pairs for a while and none to train on: a message may be lost; ask again from here. */
  private Behavior<Command> onRetryTick() {
    boolean waiting = !streamEnded && buffer.size() < plan.settings().batchPairs();
    if (waiting && !deliveredSinceTick) {
      resubscribe();
    }
    deliveredSinceTick = false;
    return this;
  }

  private Behavior<Command> onDelivered(Delivered d) {
    long first = d.delivery().firstOffset();
    List<PreferencePair> pairs = d.delivery().pairs();
    if (first > expectedOffset || first + pairs.size() < expectedOffset) {
      // A gap (a lost delivery: the retry asks again) or an answer to an earlier subscription,
      // typically the end of the previous pass, which would end this one.
      return this;
    }
    deliveredSinceTick = true;
    int skip = (int) (expectedOffset - first); // already received through another subscription
    for (int i = skip; i < pairs.size(); i++) {
      buffer.add(new Offered(expectedOffset++, TrainingPair.of(pairs.get(i), plan.settings().pairWeighting())));
    }
    streamEnded = d.delivery().endOfRun();
    dev.longdpo.actors.metrics.NodeMeters.set("longdpo.train.buffered.pairs", buffer.size(), "variant", plan.variant());
    scheduleTraining();
    return this;
  }

  private void scheduleTraining() {
    boolean ready = buffer.size() >= plan.settings().batchPairs() || (streamEnded && !buffer.isEmpty()) || streamEnded;
    if (ready && !trainScheduled && !paused && !held) {
      trainScheduled = true;
      getContext().getSelf().tell(TrainNext.INSTANCE);
    }
  }

  /** One micro-batch per message, so deliveries interleave with training. */
  private Behavior<Command> onTrainNext() {
    trainScheduled = false;
    if (paused || held) {
      return this;
    }
    try {
      if (buffer.size() >= plan.settings().batchPairs() || (streamEnded && !buffer.isEmpty())) {
        trainBatch();
        if (budgetReached()) {
          return finish();
        }
      } else if (streamEnded) {
        return endOfEpoch();
      }
    } catch (Exception e) {
      getContext().getLog().error("{}: training stopped: {}", plan.variant(), e.getMessage());
      listener.failed(plan.variant(), e);
      stream.tell(new PairStreamProtocol.Unsubscribe(subscriberId));
      return Behaviors.stopped();
    }
    scheduleTraining();
    return this;
  }

  private void trainBatch() throws java.io.IOException {
    int n = Math.min(plan.settings().batchPairs(), buffer.size());
    List<TrainingPair> batch = new ArrayList<>(n);
    long lastOffset = 0;
    for (int i = 0; i < n; i++) {
      Offered o = buffer.poll();
      batch.add(o.pair());
      lastOffset = o.offset();
    }
    dev.longdpo.actors.metrics.NodeMeters.set("longdpo.train.buffered.pairs", buffer.size(), "variant", plan.variant());
    long t0 = System.nanoTime();
    StepMetrics m = trainer.step(batch);
    trainNanos += System.nanoTime() - t0;
    trainer.setStreamOffset(lastOffset + 1);
    stream.tell(new PairStreamProtocol.Request(subscriberId, n));
    listener.stepped(plan.variant(), trainer.epoch(), m, trainer.streamOffset());
    trainer.checkHealthy();
    boolean due = trainer.step() % plan.settings().checkpointEvery() == 0
        || (!plan.checkpointInterval().isZero()
            && System.nanoTime() - lastCheckpointNanos >= plan.checkpointInterval().toNanos());
    if (!m.skipped() && due) {
      checkpoint(false);
      if (trainer.step() == plan.hold().atStep()) {
        held = true;
        plan.hold().reached().run();
      }
    }
  }

  private boolean budgetReached() {
    return plan.tokenBudget() > 0 && trainer.trainedTokens() >= plan.tokenBudget();
  }

  private Behavior<Command> endOfEpoch() throws java.io.IOException {
    int passes = trainer.epoch() + 1;
    boolean more = plan.tokenBudget() > 0 ? !budgetReached() && trainer.pairsConsumed() > 0 : passes < plan.settings().epochs();
    if (!more) {
      return finish();
    }
    trainer.setEpoch(passes);
    trainer.setStreamOffset(0);
    subscribe(0);
    return this;
  }

  private Behavior<Command> finish() throws java.io.IOException {
    stream.tell(new PairStreamProtocol.Unsubscribe(subscriberId));
    // The final checkpoint says so on disk, and a worker that starts from it later knows training
    // is complete. At a step already on disk only its state file is rewritten (atomically): the
    // weights others may be reading stay where they are.
    if (checkpointedStep == trainer.step()) {
      plan.guard().check();
      String name = TrainerCheckpoints.name(plan.variant(), trainer.step());
      Path dir = plan.checkpointDir().resolve(name);
      DpoTrainer.markFinished(dir);
      lastCheckpoint = new CheckpointWritten(plan.variant(), name, dir.toString(), trainer.step(), trainer.trainedTokens(),
          trainer.streamOffset(), true);
      announce(lastCheckpoint);
    } else {
      checkpoint(true);
    }
    listener.finished(plan.variant(), summary());
    return Behaviors.stopped();
  }

  private TrainingListener.TrainingSummary summary() {
    return new TrainingListener.TrainingSummary(trainer.step(), trainer.skippedSteps(), trainer.recomputedSteps(),
        trainer.pairsConsumed(), trainer.trainedTokens(), trainer.epoch() + 1, (System.nanoTime() - started) / 1e9,
        trainNanos / 1e9, lastCheckpoint);
  }

  private void checkpoint(boolean last) throws java.io.IOException {
    plan.guard().check();
    String name = TrainerCheckpoints.name(plan.variant(), trainer.step());
    Path dir = plan.checkpointDir().resolve(name);
    trainer.save(dir, Map.of("variant", plan.variant(), "finished", last));
    checkpointedStep = trainer.step();
    lastCheckpointNanos = System.nanoTime();
    lastCheckpoint = new CheckpointWritten(plan.variant(), name, dir.toString(), trainer.step(), trainer.trainedTokens(),
        trainer.streamOffset(), last);
    announce(lastCheckpoint);
  }

  private void announce(CheckpointWritten c) {
    listener.checkpointed(c);
    stream.tell(c);
    for (ActorRef<CheckpointWritten> r : announceTo) {
      r.tell(c);
    }
  }
}
