package dev.longdpo.gpuworker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.longdpo.actors.ActorsSettings;
import dev.longdpo.actors.stream.PairReplay;
import dev.longdpo.gpuworker.dpo.DpoSettings;
import dev.longdpo.gpuworker.dpo.StepMetrics;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.TinyModels;
import dev.longdpo.model.generate.PrefixState;
import dev.longdpo.model.generate.ScoreRequest;
import dev.longdpo.protocol.coordinator.CoordinatorProtocol;
import dev.longdpo.protocol.pairs.PairStep;
import dev.longdpo.protocol.pairs.PairStreamProtocol;
import dev.longdpo.protocol.pairs.PreferencePair;
import dev.longdpo.protocol.search.StepScore;
import dev.longdpo.protocol.training.CheckpointWritten;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gpu-worker on a replayed pair stream: flow control, epochs, checkpoints, budgets, failures. */
class GpuWorkerTest {

  static ActorTestKit kit;
  static final DispatcherSelector BLOCKING = DispatcherSelector.fromConfig(ActorsSettings.BLOCKING_DISPATCHER);

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create("gpu-worker", ConfigFactory.load());
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @TempDir Path dir;

  /** A saved tiny random model: the base and reference. */
  Path base() throws Exception {
    Path p = dir.resolve("base");
    try (LanguageModel m = LanguageModel.random(TinyModels.tiny(), 11, Optional.empty(), false)) {
      m.save(p);
    }
    return p;
  }

  static List<PreferencePair> pairs(Path base, int n, boolean nanReference) {
    SplittableRandom r = new SplittableRandom(5);
    StepScore score = new StepScore(List.of(3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0), 5, 3, 8);
    List<PreferencePair> out = new ArrayList<>();
    try (LanguageModel ref = LanguageModel.load(base)) {
      for (int i = 0; i < n; i++) {
        int[] prefix = ids(r, 6 + r.nextInt(10));
        int[] chosen = ids(r, 2 + r.nextInt(4));
        int[] rejected = ids(r, 2 + r.nextInt(4));
        PrefixState p = ref.prefix(prefix);
        var s = ref.score(List.of(new ScoreRequest(p, chosen), new ScoreRequest(p, rejected)));
        p.close();
        double rc = nanReference ? Double.NaN : s.get(0).sum();
        out.add(new PreferencePair(PreferencePair.id("t", "p" + i, 0), "t", "p" + i, 0, "prompt", "prefix", prefix,
            new PairStep("c", chosen, false, score, rc, 8), new PairStep("r", rejected, false, score, s.get(1).sum(), 7),
            false, 0, false, 1));
      }
    }
    return out;
  }

  static int[] ids(SplittableRandom r, int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = 3 + r.nextInt(90);
    }
    return a;
  }

  static DpoSettings settings() {
    // Plain DPO (no NLL term), so the first loss is exactly ln 2.
    return DpoSettings.create(ConfigFactory.load()).withLearningRate(1e-3).withCheckpointEvery(4).withNllWeight(0);
  }

  /** Records the worker's reports; completes when it finishes or fails. */
  static final class Recorder implements TrainingListener {
    final List<StepMetrics> steps = Collections.synchronizedList(new ArrayList<>());
    final CompletableFuture<TrainingSummary> done = new CompletableFuture<>();

    @Override
    public void stepped(String variant, int epoch, StepMetrics m) {
      steps.add(m);
    }

    @Override
    public void finished(String variant, TrainingSummary s) {
      done.complete(s);
    }

    @Override
    public void failed(String variant, Exception e) {
      done.completeExceptionally(e);
    }
  }

  @Test
  void aLateEndOfRunFromThePreviousPassDoesNotEndTheNextEpoch() throws Exception {
    Path base = base();
    List<PreferencePair> pairs = pairs(base, 20, false);
    TestProbe<CoordinatorProtocol.Command> stream = kit.createTestProbe();
    Recorder rec = new Recorder();
    WorkerPlan plan = new WorkerPlan("late", base, Optional.empty(), settings().withEpochs(2), dir.resolve("ck"), 6, 0);
    kit.spawn(GpuWorker.create(plan, stream.getRef(), List.of(), rec), "late", BLOCKING);

    PairStreamProtocol.Subscribe first = nextSubscribe(stream);
    first.consumer().tell(new PairStreamProtocol.Delivery(0, pairs, true));
    // The worker trains epoch 1 and subscribes again from offset 0.
    PairStreamProtocol.Subscribe second = nextSubscribe(stream);
    assertThat(second.fromOffset()).isZero();
    // Deliveries of the old pass still in flight when the worker subscribed again: the tail of
    // the run and a repeated end of run (a server answers credit granted during epoch 1 so).
    // They arrive after the new subscription, before the replayed pairs, and must be dropped.
    second.consumer().tell(new PairStreamProtocol.Delivery(12, pairs.subList(12, 20), false));
    second.consumer().tell(new PairStreamProtocol.Delivery(20, List.of(), true));
    second.consumer().tell(new PairStreamProtocol.Delivery(0, pairs, true));

    TrainingListener.TrainingSummary summary = rec.done.get(2, java.util.concurrent.TimeUnit.MINUTES);
    assertThat(summary.epochs()).isEqualTo(2);
    assertThat(summary.steps()).isEqualTo(6);
    assertThat(summary.pairs()).isEqualTo(40);
  }

  /** Skips credit and checkpoint messages up to the worker's next subscription. */
  static PairStreamProtocol.Subscribe nextSubscribe(TestProbe<CoordinatorProtocol.Command> stream) {
    List<CoordinatorProtocol.Command> seen = stream.fishForMessage(Duration.ofSeconds(60),
        m -> m instanceof PairStreamProtocol.Subscribe ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
    return (PairStreamProtocol.Subscribe) seen.get(seen.size() - 1);
  }

  @Test
  void trainsEveryEpochInMicroBatchesAndAnnouncesCheckpoints() throws Exception {
    Path base = base();
    List<PreferencePair> pairs = pairs(base, 20, false);
    ActorRef<CoordinatorProtocol.Command> replay = kit.spawn(PairReplay.create(pairs));
    TestProbe<CheckpointWritten> announced = kit.createTestProbe();
    Recorder rec = new Recorder();
    DpoSettings s = settings().withEpochs(2);
    WorkerPlan plan = new WorkerPlan("v", base, Optional.empty(), s, dir.resolve("ck"), 6, 0);
    kit.spawn(GpuWorker.create(plan, replay, List.of(announced.getRef()), rec), "w1", BLOCKING);
    TrainingListener.TrainingSummary summary = rec.done.get(2, java.util.concurrent.TimeUnit.MINUTES);

    // 20 pairs in batches of 8: 8, 8, 4 per epoch; two epochs.
    assertThat(summary.steps()).isEqualTo(6);
    assertThat(summary.pairs()).isEqualTo(40);
    assertThat(summary.epochs()).isEqualTo(2);
    long expectedTokens = 2 * pairs.stream().mapToLong(p -> p.chosen().tokens().length + p.rejected().tokens().length).sum();
    assertThat(summary.trainedTokens()).isEqualTo(expectedTokens);
    CheckpointWritten first = announced.receiveMessage(Duration.ofSeconds(10));
    CheckpointWritten last = announced.receiveMessage(Duration.ofSeconds(10));
    assertThat(first.step()).isEqualTo(4);
    assertThat(first.last()).isFalse();
    assertThat(last.step()).isEqualTo(6);
    assertThat(last.last()).isTrue();
    assertThat(Path.of(last.path()).resolve("model.safetensors")).exists();
    var state = new ObjectMapper().readTree(Files.readString(Path.of(first.path()).resolve("trainer_state.json")));
    assertThat(state.path("epoch").asInt()).isEqualTo(1);
    assertThat(state.path("stream_offset").asLong()).isEqualTo(8);
    assertThat(rec.steps.get(0).loss()).isCloseTo(Math.log(2), org.assertj.core.api.Assertions.within(1e-4));
  }

  @Test
  void aWorkerResumedFromACheckpointFinishesExactlyAsAnUninterruptedOne() throws Exception {
    Path base = base();
    List<PreferencePair> pairs = pairs(base, 20, false);
    DpoSettings s = settings().withEpochs(2);
    // Uninterrupted: 20 pairs in batches of 8, two epochs: steps 1-3, then 4-6; checkpoints after
    // step 4 (epoch 1, offset 8) and at the end.
    Recorder whole = new Recorder();
    TestProbe<CheckpointWritten> announced = kit.createTestProbe();
    kit.spawn(GpuWorker.create(new WorkerPlan("resume", base, Optional.empty(), s, dir.resolve("whole"), 6, 0),
        kit.spawn(PairReplay.create(pairs)), List.of(announced.getRef()), whole), "whole", BLOCKING);
    TrainingListener.TrainingSummary wholeSummary = whole.done.get(2, java.util.concurrent.TimeUnit.MINUTES);
    CheckpointWritten mid = announced.receiveMessage(Duration.ofSeconds(10));
    CheckpointWritten wholeEnd = announced.receiveMessage(Duration.ofSeconds(10));
    assertThat(mid.step()).isEqualTo(4);
    assertThat(mid.streamOffset()).isEqualTo(8);
    assertThat(whole.steps).hasSize(6);

    // A fresh worker of the same variant started from the step-4 checkpoint, on a replay that
    // records where it is asked to start.
    ActorRef<CoordinatorProtocol.Command> replay = kit.spawn(PairReplay.create(pairs));
    List<Long> subscribedAt = Collections.synchronizedList(new ArrayList<>());
    ActorRef<CoordinatorProtocol.Command> spy = kit.spawn(Behaviors.receive(CoordinatorProtocol.Command.class)
        .onMessage(PairStreamProtocol.Subscribe.class, sub -> {
          subscribedAt.add(sub.fromOffset());
          replay.tell(sub);
          return Behaviors.same();
        })
        .onAnyMessage(m -> {
          replay.tell(m);
          return Behaviors.same();
        })
        .build());
    Recorder resumed = new Recorder();
    TestProbe<CheckpointWritten> resumedAnnounced = kit.createTestProbe();
    // Its plan estimates another schedule length (as a live run re-estimating would): the
    // checkpoint's own length must win.
    WorkerPlan plan = new WorkerPlan("resume", base, Optional.of(Path.of(mid.path())), s, dir.resolve("resumed"), 99, 0);
    kit.spawn(GpuWorker.create(plan, spy, List.of(resumedAnnounced.getRef()), resumed), "resumed", BLOCKING);
    TrainingListener.TrainingSummary summary = resumed.done.get(2, java.util.concurrent.TimeUnit.MINUTES);
    CheckpointWritten resumedEnd = resumedAnnounced.receiveMessage(Duration.ofSeconds(10));

    // It picks up the second epoch at offset 8, takes steps 5 and 6 with the same metrics to the
    // bit (same weights, AdamW moments, step, learning rate and pairs), and ends where the
    // uninterrupted worker ended.
    assertThat(subscribedAt).containsExactly(8L);
    assertThat(resumed.steps).containsExactlyElementsOf(whole.steps.subList(4, 6));
    assertThat(summary.steps()).isEqualTo(wholeSummary.steps());
    assertThat(summary.epochs()).isEqualTo(wholeSummary.epochs());
    assertThat(summary.pairs()).isEqualTo(wholeSummary.pairs());
    assertThat(summary.trainedTokens()).isEqualTo(wholeSummary.trainedTokens());
    assertThat(resumedEnd.step()).isEqualTo(wholeEnd.step());
    assertThat(resumedEnd.streamOffset()).isEqualTo(wholeEnd.streamOffset());
    assertThat(resumedEnd.trainedTokens()).isEqualTo(wholeEnd.trainedTokens());
    // The final checkpoints are the same files: model, optimizer moments and step, and trainer
    // state (step, epoch, stream offset, pairs, tokens).
    for (String file : List.of("model.safetensors", "optimizer.safetensors", "optimizer.json", "trainer_state.json")) {
      assertThat(Files.mismatch(Path.of(resumedEnd.path()).resolve(file), Path.of(wholeEnd.path()).resolve(file)))
          .as(file).isEqualTo(-1L);
    }

    // A worker started from the final checkpoint finds training complete: no step, same summary.
    Recorder again = new Recorder();
    kit.spawn(GpuWorker.create(new WorkerPlan("resume", base, Optional.of(Path.of(resumedEnd.path())), s,
        dir.resolve("again"), 6, 0), kit.spawn(PairReplay.create(pairs)), List.of(), again), "again", BLOCKING);
    TrainingListener.TrainingSummary finished = again.done.get(2, java.util.concurrent.TimeUnit.MINUTES);
    assertThat(again.steps).isEmpty();
    assertThat(finished.steps()).isEqualTo(wholeSummary.steps());
    assertThat(finished.lastCheckpoint().name()).isEqualTo(resumedEnd.name());
    assertThat(TrainerCheckpoints.latest(dir.resolve("resumed"), "resume").orElseThrow().finished()).isTrue();
  }

  @Test
  void creditIsTheWindowFirstThenOnlyWhatWasTrained() throws Exception {
    Path base = base();
    List<PreferencePair> pairs = pairs(base, 30, false);
    ActorRef<CoordinatorProtocol.Command> replay = kit.spawn(PairReplay.create(pairs));
    List<Integer> requests = Collections.synchronizedList(new ArrayList<>());
    // Sits between the worker and the replay and records the credit the worker grants.
    ActorRef<CoordinatorProtocol.Command> spy = kit.spawn(Behaviors.receive(CoordinatorProtocol.Command.class)
        .onMessage(PairStreamProtocol.Request.class, req -> {
          requests.add(req.count());
          replay.tell(req);
          return Behaviors.same();
        })
        .onAnyMessage(m -> {
          replay.tell(m);
          return Behaviors.same();
        })
        .build());
    Recorder rec = new Recorder();
    DpoSettings s = DpoSettings.create(ConfigFactory.parseString("longdpo.train { stream-window = 10, batch-pairs = 4, "
        + "epochs = 1, checkpoint-every = 100 }").withFallback(ConfigFactory.load()));
    kit.spawn(GpuWorker.create(new WorkerPlan("fc", base, Optional.empty(), s, dir.resolve("ck"), 8, 0), spy, List.of(), rec),
        "w2", BLOCKING);
    TrainingListener.TrainingSummary summary = rec.done.get(2, java.util.concurrent.TimeUnit.MINUTES);
    assertThat(summary.pairs()).isEqualTo(30);
    // The first grant is the window; every later one replaces a micro-batch just trained, so at
    // most a window of pairs ever waits in the worker, however fast the stream could deliver.
    assertThat(requests.get(0)).isEqualTo(10);
    List<Integer> later = requests.subList(1, requests.size());
    assertThat(later).allMatch(n -> n <= 4);
    assertThat(later.stream().mapToInt(Integer::intValue).sum()).isEqualTo(30);
  }

  @Test
  void aTokenBudgetReplaysTheStreamUntilItIsSpent() throws Exception {
    Path base = base();
    List<PreferencePair> pairs = pairs(base, 10, false);
    long perPass = pairs.stream().mapToLong(p -> p.chosen().tokens().length + p.rejected().tokens().length).sum();
    ActorRef<CoordinatorProtocol.Command> replay = kit.spawn(PairReplay.create(pairs));
    Recorder rec = new Recorder();
    WorkerPlan plan = new WorkerPlan("budget", base, Optional.empty(), settings().withEpochs(1), dir.resolve("ck"), 8,
        perPass * 2 + 1);
    kit.spawn(GpuWorker.create(plan, replay, List.of(), rec), "w3", BLOCKING);
    TrainingListener.TrainingSummary summary = rec.done.get(2, java.util.concurrent.TimeUnit.MINUTES);
    assertThat(summary.epochs()).isEqualTo(3);
    assertThat(summary.trainedTokens()).isGreaterThanOrEqualTo(perPass * 2 + 1).isLessThan(perPass * 3);
  }

  @Test
  void nonFiniteLossesInARowStopTrainingWithTheLastCheckpointIntact() throws Exception {
    Path base = base();
    List<PreferencePair> good = pairs(base, 16, false);
    List<PreferencePair> bad = pairs(base, 40, true);
    List<PreferencePair> all = new ArrayList<>(good);
    all.addAll(bad);
    ActorRef<CoordinatorProtocol.Command> replay = kit.spawn(PairReplay.create(all));
    Recorder rec = new Recorder();
    TestProbe<CheckpointWritten> announced = kit.createTestProbe();
    DpoSettings s = DpoSettings.create(ConfigFactory.parseString("longdpo.train { max-nan-in-a-row = 3, "
        + "checkpoint-every = 2 }").withFallback(ConfigFactory.load()));
    kit.spawn(GpuWorker.create(new WorkerPlan("nan", base, Optional.empty(), s, dir.resolve("ck"), 8, 0), replay,
        List.of(announced.getRef()), rec), "w4", BLOCKING);
    var error = org.assertj.core.api.Assertions.catchThrowable(() -> rec.done.get(2, java.util.concurrent.TimeUnit.MINUTES));
    assertThat(error).hasRootCauseMessage("3 non-finite losses in a row: training stopped (the last checkpoint is intact)");
    CheckpointWritten lastGood = announced.receiveMessage(Duration.ofSeconds(10));
    assertThat(lastGood.step()).isEqualTo(2);
    assertThat(Path.of(lastGood.path()).resolve("model.safetensors")).exists();
    assertThat(rec.steps.stream().filter(StepMetrics::skipped).count()).isEqualTo(3);
  }
}
