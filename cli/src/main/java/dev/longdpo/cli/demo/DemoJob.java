package dev.longdpo.cli.demo;

import com.typesafe.config.Config;
import dev.longdpo.actors.ActorsSettings;
import dev.longdpo.actors.Workers;
import dev.longdpo.actors.backend.ModelPolicy;
import dev.longdpo.actors.backend.Policy;
import dev.longdpo.actors.backend.TestbedCritic;
import dev.longdpo.actors.backend.TestbedFacts;
import dev.longdpo.actors.backend.TestbedJudge;
import dev.longdpo.actors.evaluator.CheckpointEvaluation;
import dev.longdpo.actors.evaluator.EvalListener;
import dev.longdpo.actors.evaluator.EvalRecord;
import dev.longdpo.actors.evaluator.EvalSettings;
import dev.longdpo.actors.evaluator.Evaluator;
import dev.longdpo.actors.stream.PairReplay;
import dev.longdpo.cli.EmbeddedDefault;
import dev.longdpo.cli.Progress;
import dev.longdpo.cli.node.LocalCluster;
import dev.longdpo.cli.train.TrainJob;
import dev.longdpo.cli.train.TrainingLog;
import dev.longdpo.coordinator.Coordinator;
import dev.longdpo.coordinator.RunListener;
import dev.longdpo.coordinator.RunSummary;
import dev.longdpo.coordinator.SearchBackends;
import dev.longdpo.coordinator.outcome.OutcomePairs;
import dev.longdpo.coordinator.outcome.OutcomeSettings;
import dev.longdpo.coordinator.run.PairLog;
import dev.longdpo.coordinator.run.RunDirectory;
import dev.longdpo.coordinator.run.RunManifest;
import dev.longdpo.coordinator.search.SearchSettings;
import dev.longdpo.gpuworker.TrainingListener;
import dev.longdpo.gpuworker.WorkerPlan;
import dev.longdpo.gpuworker.dpo.DpoSettings;
import dev.longdpo.gpuworker.dpo.StepMetrics;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.checkpoint.WeightsHash;
import dev.longdpo.protocol.coordinator.CoordinatorProtocol;
import dev.longdpo.protocol.pairs.PreferencePair;
import dev.longdpo.protocol.training.CheckpointWritten;
import dev.longdpo.protocol.training.EvaluatorProtocol;
import dev.longdpo.testbed.TestbedSettings;
import dev.longdpo.testbed.task.LengthBuckets;
import dev.longdpo.testbed.task.TaskFile;
import dev.longdpo.testbed.task.TaskGenerator;
import dev.longdpo.testbed.task.WritingTask;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The end-to-end demo in one JVM (a cluster of one): the LongDPO search on the training prompts
 * while a gpu-worker trains on its pair stream, the outcome-DPO baseline trained on the same
 * number of tokens, and the evaluator scoring the base and every checkpoint on held-out tasks.
 */
public final class DemoJob {

  /** What the demo produced: the three rows and everything behind them. */
  public record Outcome(
      EvalRecord base, EvalRecord dpo, EvalRecord longdpo, List<EvalRecord> evaluations, RunSummary search,
      TrainingListener.TrainingSummary longdpoTraining, TrainingListener.TrainingSummary dpoTraining, int outcomePairs,
      TrainingLog trainingLog, double seconds, String baseWeightsSha256) {}

  private static final DispatcherSelector BLOCKING = DispatcherSelector.fromConfig(ActorsSettings.BLOCKING_DISPATCHER);

  private final Config config;
  private final DemoSettings mode;
  private final long seed;
  private final Path out;
  private final DemoStatus status;

  /**
   * @param config the settings with the mode applied ({@link DemoSettings#apply})
   * @param out the demo's directory
   */
  public DemoJob(Config config, DemoSettings mode, long seed, Path out, DemoStatus status) {
    this.config = config;
    this.mode = mode;
    this.seed = seed;
    this.out = out;
    this.status = status;
  }

  /** Runs everything; the training log stays open for the report and is closed by the caller. */
  public Outcome run(Progress pretrainProgress) throws Exception {
    TestbedSettings testbed = TestbedSettings.create(config);
    Path base = EmbeddedDefault.baseModel(config, pretrainProgress);
    pretrainProgress.close();
    String baseName = "base/" + EmbeddedDefault.store(config).key();
    String baseWeights = WeightsHash.of(base);
    status.say("base model " + base + " (weights sha256 " + WeightsHash.shortForm(baseWeights) + "…)");

    // Training prompts from the train seed (shifted by the demo seed), held-out ones from the eval seed.
    List<WritingTask> trainTasks =
        new TaskGenerator(testbed.trainSeed() + 1000L * (seed - 1)).generateMix(mode.trainPrompts(), mode.trainSectioned());
    EvalSettings evalSettings = EvalSettings.create(config);
    List<WritingTask> evalTasks = evalSettings.heldOutTasks(testbed.evalSeed());
    TaskFile.write(out.resolve("train-prompts.jsonl"), trainTasks);
    TaskFile.write(out.resolve("eval-prompts.jsonl"), evalTasks);

    SearchSettings search = SearchSettings.create(config);
    DpoSettings dpo = DpoSettings.create(config);
    ActorsSettings actors = ActorsSettings.create(config);
    TrainingLog log = new TrainingLog(out.resolve("train"));
    List<EvalRecord> evaluations = Collections.synchronizedList(new ArrayList<>());
    CheckpointEvaluation evaluation = new CheckpointEvaluation(evalTasks, LengthBuckets.TESTBED, evalSettings, out.resolve("eval"));
    RunDirectory runDir = RunDirectory.openOrCreate(out.resolve("search"),
        new RunManifest("longdpo", trainTasks.size(), RunDirectory.hash(trainTasks), baseName, RunManifest.describe(search)),
        trainTasks);

    try (LanguageModel policyModel = LanguageModel.load(base); PairLog pairLog = PairLog.open(runDir.pairLog())) {
      ModelPolicy policy = new ModelPolicy(policyModel, actors.cacheBudgetBytes());
      java.util.function.Supplier<Policy> policies = () -> policy;
      Workers.Spec spec = new Workers.Spec(List.of(policies), 2, TestbedJudge::new, 1, TestbedCritic::new);
      SearchBackends backends =
          new SearchBackends(t -> policyModel.encodePrompt(t.modelInput()), new TestbedFacts(testbed.similarityThreshold()));
      CompletableFuture<RunSummary> searched = new CompletableFuture<>();
      ActorSystem<Void> system = LocalCluster.start("longdpo-demo", Behaviors.setup(ctx -> {
        ctx.spawn(Workers.create(spec, actors), "workers");
        return Behaviors.empty();
      }), config);
      try {
        ActorRef<EvaluatorProtocol.Command> evaluator = system.systemActorOf(
            Evaluator.create(evaluation, Optional.of(base), evalListener(evaluations)), "evaluator", BLOCKING);
        ActorRef<RunSummary> done = system.systemActorOf(LocalCluster.completing(searched), "search-finished", Props.empty());
        RunListener runListener = new RunListener() {
          @Override
          public void treeFinished(int completed, int total, long pairs) {
            status.search(completed, total, pairs);
          }
        };
        ActorRef<CoordinatorProtocol.Command> coordinator = system.systemActorOf(
            Coordinator.create(new Coordinator.Plan("longdpo", trainTasks, search, pairLog), backends, runListener, done),
            "coordinator", Props.empty());
        // The pair count is unknown while the search runs: the schedule is estimated.
        int estimatedSteps = WorkerPlan.estimatedScheduleSteps(trainTasks.size(), dpo);
        WorkerPlan longdpoPlan = new WorkerPlan("longdpo", base, Optional.empty(), dpo, out.resolve("checkpoints"),
            estimatedSteps, 0);
        TrainingListener listener = trainingListener(log);
        spawnWorker(system, longdpoPlan, coordinator, evaluator, listener);
        status.say("search on " + trainTasks.size() + " training prompts (K " + search.k() + ", R " + search.rollouts()
            + "), training on its pair stream, evaluating on " + evalTasks.size() + " held-out tasks");

        RunSummary summary = searched.get();
        status.clear("1search");
        status.say(String.format(java.util.Locale.ROOT,
            "search finished in %.0f s: %d pairs; premature ends vetoed %d, memory-pool vetoes %d, critiques %d/%d",
            summary.seconds(), summary.pairs(), summary.prematureEnds(), summary.vetoes(), summary.critiquesApplied(),
            summary.critiquesFired()));
        runDir.writeSummary(java.util.Map.of("summary", summary, "policy", policy.stats()));

        // The outcome baseline trains on as many tokens as LongDPO will: every pair, every epoch.
        pairLog.flush();
        List<PreferencePair> searchPairs = PairLog.readOnly(runDir.pairLog()).pairs();
        long budget = dpo.epochs() * searchPairs.stream()
            .mapToLong(p -> p.chosen().tokens().length + p.rejected().tokens().length).sum();
        status.set("3outcome", "outcome baseline: sampling whole answers");
        List<PreferencePair> outcomePairs = new OutcomePairs(policyModel, OutcomeSettings.create(config))
            .build("dpo", trainTasks, n -> status.set("3outcome", "outcome baseline: " + n + "/" + trainTasks.size() + " prompts sampled"));
        status.clear("3outcome");
        try (PairLog outcomeLog = PairLog.open(out.resolve("outcome").resolve(RunDirectory.PAIR_LOG))) {
          outcomeLog.append(outcomePairs);
          outcomeLog.flush();
        }
        status.say("outcome baseline: " + outcomePairs.size() + " pairs (best vs worst of "
            + OutcomeSettings.create(config).answersPerPrompt() + " whole answers); training it on " + budget + " tokens");
        ActorRef<CoordinatorProtocol.Command> replay =
            system.systemActorOf(PairReplay.create(outcomePairs), "outcome-replay", Props.empty());
        double tokensPerPair = outcomePairs.stream()
            .mapToInt(p -> p.chosen().tokens().length + p.rejected().tokens().length).average().orElse(1);
        WorkerPlan dpoPlan = new WorkerPlan("dpo", base, Optional.empty(), dpo, out.resolve("checkpoints"),
            TrainJob.scheduleSteps(outcomePairs.size(), tokensPerPair, dpo, budget), budget);
        spawnWorker(system, dpoPlan, replay, evaluator, listener);

        TrainingListener.TrainingSummary longdpoDone = await(log.done("longdpo"));
        status.clear("2train-longdpo");
        status.say(describe("longdpo", longdpoDone));
        TrainingListener.TrainingSummary dpoDone = await(log.done("dpo"));
        status.clear("2train-dpo");
        status.say(describe("dpo", dpoDone));
        EvaluatorProtocol.Idle idle = AskPattern.<EvaluatorProtocol.Command, EvaluatorProtocol.Idle>ask(
                evaluator, EvaluatorProtocol.WhenIdle::new, Duration.ofMinutes(30), system.scheduler())
            .toCompletableFuture().get();
        status.clear("4eval");
        status.say("evaluations done: " + idle.evaluated() + " (" + idle.skipped()
            + " intermediate checkpoints skipped or given up)");
        List<EvalRecord> all = List.copyOf(evaluations);
        return new Outcome(find(all, "base"), find(all, "dpo"), find(all, "longdpo"), all, summary, longdpoDone, dpoDone,
            outcomePairs.size(), log, status.seconds(), baseWeights);
      } finally {
        LocalCluster.stop(system, Duration.ofSeconds(30));
      }
    }
  }

  private static void spawnWorker(ActorSystem<Void> system, WorkerPlan plan, ActorRef<CoordinatorProtocol.Command> stream,
      ActorRef<EvaluatorProtocol.Command> evaluator, TrainingListener listener) {
    List<ActorRef<CheckpointWritten>> announce = List.of(evaluator.narrow());
    system.systemActorOf(dev.longdpo.gpuworker.GpuWorker.create(plan, stream, announce, listener),
        "gpu-worker-" + plan.variant(), BLOCKING);
  }

  private TrainingListener trainingListener(TrainingLog log) {
    return new TrainingListener() {
      @Override
      public void stepped(String variant, int epoch, StepMetrics m) {
        log.stepped(variant, epoch, m);
        status.trained(variant, epoch, m);
      }

      @Override
      public void checkpointed(CheckpointWritten c) {
        status.say("checkpoint " + c.name() + (c.last() ? " (last)" : ""));
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
  }

  private EvalListener evalListener(List<EvalRecord> evaluations) {
    return new EvalListener() {
      @Override
      public void started(CheckpointEvaluation.Target t, int tasks, int queued) {
        status.set("4eval", "eval " + t.checkpoint() + " (" + queued + " queued)");
      }

      @Override
      public void evaluated(EvalRecord r) {
        evaluations.add(r);
        status.say(String.format(java.util.Locale.ROOT, "evaluated %s: S_l %.1f S_q %.1f, repeated %.1f%%, contradictions %.1f%%",
            r.checkpoint(), r.scores().sl().get("avg"), r.scores().sq().get("avg"), 100 * r.scores().judgeFree().repeatedRate(),
            100 * r.scores().judgeFree().contradictionRate()));
        status.clear("4eval");
      }

      @Override
      public void failed(CheckpointEvaluation.Target t, Exception e) {
        status.say("evaluation of " + t.checkpoint() + " failed: " + e.getMessage());
      }
    };
  }

  private static String describe(String variant, TrainingListener.TrainingSummary s) {
    return String.format(java.util.Locale.ROOT,
        "%s trained: %d steps, %d pairs, %d tokens, %d epochs in %.0f s (non-finite gradients: %d recomputed, %d skipped)",
        variant, s.steps(), s.pairs(), s.trainedTokens(), s.epochs(), s.seconds(), s.recomputedSteps(), s.skippedSteps());
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    try {
      return f.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception c ? c : e;
    }
  }

  /** The variant's last evaluated checkpoint (the base's single record). */
  private static EvalRecord find(List<EvalRecord> all, String variant) {
    EvalRecord found = null;
    for (EvalRecord r : all) {
      if (r.variant().equals(variant) && (found == null || r.last() || (!found.last() && r.step() > found.step()))) {
        found = r;
      }
    }
    if (found == null) {
      throw new IllegalStateException("no evaluation of " + variant + " (see eval/ and the log above)");
    }
    return found;
  }
}
