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
 * written every {@code checkpoint-every} steps and at the end, and announced to the coordinator and
 * the evaluators. A checkpoint resumes exactly: same pairs next, same next loss.
 *
 * <p>Spawn it on the blocking dispatcher: a step holds the thread for about a second. Training
 * steps run alone in the JVM: other workers' steps and all inference wait for them (DJL's
 * gradient collector is global), see {@code GradientLock}.
 */
public final class GpuWorker extends AbstractBehavior<GpuWorker.Command> {

  /** The worker's messages; all local. */
  public interface Command extends NoSerializationVerificationNeeded {}

  private record Delivered(PairStreamProtocol.Delivery delivery) implements Command {}

  private enum TrainNext implements Command { INSTANCE }

  private final WorkerPlan plan;
  private final ActorRef<CoordinatorProtocol.Command> stream;
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

  /** A pair with its stream offset. */
  private record Offered(long offset, TrainingPair pair) {}

  /**
   * @param stream the coordinator (or a replay) serving the pair stream
   * @param announceTo receivers of every checkpoint (the coordinator, evaluators)
   */
  public static Behavior<Command> create(
      WorkerPlan plan, ActorRef<CoordinatorProtocol.Command> stream, List<ActorRef<CheckpointWritten>> announceTo,
      TrainingListener listener) {
    return Behaviors.setup(ctx -> {
      try {
        return new GpuWorker(ctx, plan, stream, announceTo, listener);
      } catch (RuntimeException e) {
        ctx.getLog().error("{}: cannot start training: {}", plan.variant(), e.getMessage());
        listener.failed(plan.variant(), e);
        return Behaviors.stopped();
      }
    });
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
    if (plan.resumeFrom().isPresent()) {
      this.ownModel = null;
      this.trainer = DpoTrainer.resume(plan.resumeFrom().get(), plan.settings(), plan.scheduleSteps());
    } else {
      this.ownModel = LanguageModel.load(plan.start(), true);
      this.trainer = new DpoTrainer(ownModel, plan.settings(), plan.scheduleSteps());
    }
    subscribe(trainer.streamOffset());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Delivered.class, this::onDelivered)
        .onMessageEquals(TrainNext.INSTANCE, this::onTrainNext)
        .onSignal(org.apache.pekko.actor.typed.PostStop.class, s -> {
          trainer.close();
          if (ownModel != null) {
            ownModel.close();
          }
          return this;
        })
        .build();
  }

  private void subscribe(long fromOffset) {
    streamEnded = false;
    expectedOffset = fromOffset;
    stream.tell(new PairStreamProtocol.Subscribe(plan.variant(), fromOffset, deliveries));
    stream.tell(new PairStreamProtocol.Request(plan.variant(), plan.settings().streamWindow()));
  }

  private Behavior<Command> onDelivered(Delivered d) {
    long offset = d.delivery().firstOffset();
    if (offset != expectedOffset) {
      // An answer to credit granted before this worker subscribed again for the next epoch
      // (typically a repeated end of run): it belongs to the old pass and would end this one.
      return this;
    }
    expectedOffset += d.delivery().pairs().size();
    for (PreferencePair p : d.delivery().pairs()) {
      buffer.add(new Offered(offset++, TrainingPair.of(p, plan.settings().pairWeighting())));
    }
    streamEnded = d.delivery().endOfRun();
    scheduleTraining();
    return this;
  }

  private void scheduleTraining() {
    boolean ready = buffer.size() >= plan.settings().batchPairs() || (streamEnded && !buffer.isEmpty()) || streamEnded;
    if (ready && !trainScheduled) {
      trainScheduled = true;
      getContext().getSelf().tell(TrainNext.INSTANCE);
    }
  }

  /** One micro-batch per message, so deliveries interleave with training. */
  private Behavior<Command> onTrainNext() {
    trainScheduled = false;
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
      stream.tell(new PairStreamProtocol.Unsubscribe(plan.variant()));
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
    long t0 = System.nanoTime();
    StepMetrics m = trainer.step(batch);
    trainNanos += System.nanoTime() - t0;
    trainer.setStreamOffset(lastOffset + 1);
    stream.tell(new PairStreamProtocol.Request(plan.variant(), n));
    listener.stepped(plan.variant(), trainer.epoch(), m);
    trainer.checkHealthy();
    if (!m.skipped() && trainer.step() % plan.settings().checkpointEvery() == 0) {
      checkpoint(false);
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
    stream.tell(new PairStreamProtocol.Unsubscribe(plan.variant()));
    if (lastCheckpoint == null || lastCheckpoint.step() != trainer.step()) {
      checkpoint(true);
    } else {
      lastCheckpoint = new CheckpointWritten(lastCheckpoint.variant(), lastCheckpoint.name(), lastCheckpoint.path(),
          lastCheckpoint.step(), lastCheckpoint.trainedTokens(), lastCheckpoint.streamOffset(), true);
      announce(lastCheckpoint);
    }
    listener.finished(plan.variant(), new TrainingListener.TrainingSummary(trainer.step(), trainer.skippedSteps(), trainer.recomputedSteps(),
        trainer.pairsConsumed(), trainer.trainedTokens(), trainer.epoch() + 1, (System.nanoTime() - started) / 1e9,
        trainNanos / 1e9, lastCheckpoint));
    return Behaviors.stopped();
  }

  private void checkpoint(boolean last) throws java.io.IOException {
    String name = plan.variant() + "-step-" + trainer.step();
    Path dir = plan.checkpointDir().resolve(name);
    trainer.save(dir, Map.of("variant", plan.variant()));
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
