package dev.longdpo.cli.train;

import com.typesafe.config.Config;
import dev.longdpo.actors.ActorsSettings;
import dev.longdpo.actors.stream.PairReplay;
import dev.longdpo.cli.Progress;
import dev.longdpo.cli.node.LocalCluster;
import dev.longdpo.gpuworker.GpuWorker;
import dev.longdpo.gpuworker.TrainerCheckpoints;
import dev.longdpo.gpuworker.TrainingListener;
import dev.longdpo.gpuworker.WorkerPlan;
import dev.longdpo.gpuworker.dpo.DpoSettings;
import dev.longdpo.gpuworker.dpo.StepMetrics;
import dev.longdpo.protocol.coordinator.CoordinatorProtocol;
import dev.longdpo.protocol.pairs.PreferencePair;
import dev.longdpo.protocol.training.CheckpointWritten;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Training on recorded pairs: a replay of the pairs serves the stream and one gpu-worker per
 * variant trains on it, side by side, each with its own model. Also spawns the workers of a live
 * run (the demo), against the coordinator.
 */
public final class TrainJob {

  private TrainJob() {}

  /** Spawns a gpu-worker per plan on the blocking dispatcher. */
  public static void spawnWorkers(
      ActorContext<?> ctx, List<WorkerPlan> plans, ActorRef<CoordinatorProtocol.Command> stream,
      List<ActorRef<CheckpointWritten>> announceTo, TrainingListener listener) {
    for (WorkerPlan plan : plans) {
      ctx.spawn(GpuWorker.create(plan, stream, announceTo, listener), "gpu-worker-" + plan.variant(),
          DispatcherSelector.fromConfig(ActorsSettings.BLOCKING_DISPATCHER));
    }
  }

  /**
   * Trains every variant on {@code pairs} and waits for all of them.
   *
   * @param tokenBudget chosen + rejected tokens each variant trains on (0: its epochs)
   * @param scheduleSteps the cosine schedule's length (0: exact for these pairs)
   * @param resume start each variant from its latest checkpoint in {@code checkpointDir}, if any
   * @return each variant's summary, in the order given
   */
  public static Map<String, TrainingListener.TrainingSummary> replay(
      Config config, List<PreferencePair> pairs, Path base, List<VariantSpec> variants, Path checkpointDir,
      long tokenBudget, int scheduleSteps, boolean resume, TrainingLog log, Progress progress) throws Exception {
    double tokensPerPair = pairs.stream()
        .mapToInt(p -> p.chosen().tokens().length + p.rejected().tokens().length).average().orElse(1);
    List<WorkerPlan> plans = new ArrayList<>();
    long totalSteps = 0;
    for (VariantSpec v : variants) {
      DpoSettings s = v.settings(config);
      int steps = scheduleSteps > 0 ? scheduleSteps
          : WorkerPlan.replayScheduleSteps(pairs.size(), tokensPerPair, s, tokenBudget);
      totalSteps += steps;
      Optional<Path> from = resume
          ? TrainerCheckpoints.latest(checkpointDir, v.name()).map(TrainerCheckpoints.Found::dir) : Optional.empty();
      from.ifPresent(p -> progress.info(v.name() + ": resuming from " + p));
      plans.add(new WorkerPlan(v.name(), base, from, s, checkpointDir, steps, tokenBudget));
    }
    progress.phase("train", totalSteps);
    AtomicLong stepsDone = new AtomicLong();
    TrainingListener listener = new TrainingListener() {
      @Override
      public void stepped(String variant, int epoch, StepMetrics m) {
        log.stepped(variant, epoch, m);
        progress.progress(stepsDone.incrementAndGet(), String.format(java.util.Locale.ROOT,
            "%s epoch %d loss %.3f", variant, epoch + 1, m.loss()));
      }

      @Override
      public void finished(String variant, TrainingSummary summary) {
        log.finished(variant, summary);
      }

      @Override
      public void failed(String variant, Exception error) {
        log.failed(variant, error);
      }
    };
    ActorSystem<Void> system = LocalCluster.start("longdpo-train", Behaviors.setup(ctx -> {
      ActorRef<CoordinatorProtocol.Command> replay = ctx.spawn(PairReplay.create(pairs), "pair-replay");
      spawnWorkers(ctx, plans, replay, List.of(), listener);
      return Behaviors.empty();
    }), config);
    try {
      Map<String, TrainingListener.TrainingSummary> out = new LinkedHashMap<>();
      for (WorkerPlan p : plans) {
        try {
          out.put(p.variant(), log.done(p.variant()).get());
        } catch (ExecutionException e) {
          throw e.getCause() instanceof Exception c ? c : e;
        }
      }
      progress.close();
      return out;
    } finally {
      LocalCluster.stop(system, Duration.ofSeconds(20));
    }
  }
}
