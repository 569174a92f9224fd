package dev.longdpo.cli.search;

import com.typesafe.config.Config;
import dev.longdpo.actors.ActorsSettings;
import dev.longdpo.actors.Workers;
import dev.longdpo.actors.backend.ModelPolicy;
import dev.longdpo.actors.backend.ModelPromptEncoder;
import dev.longdpo.actors.backend.Policy;
import dev.longdpo.actors.backend.PolicyStats;
import dev.longdpo.actors.backend.ReferenceScorer;
import dev.longdpo.actors.backend.TaskSpecs;
import dev.longdpo.actors.backend.TestbedCritic;
import dev.longdpo.actors.backend.TestbedFacts;
import dev.longdpo.actors.backend.TestbedJudge;
import dev.longdpo.cli.Progress;
import dev.longdpo.cli.node.LocalCluster;
import dev.longdpo.coordinator.Coordinator;
import dev.longdpo.coordinator.RunListener;
import dev.longdpo.coordinator.RunSummary;
import dev.longdpo.coordinator.SearchBackends;
import dev.longdpo.coordinator.run.PairLog;
import dev.longdpo.coordinator.run.ReferenceRecord;
import dev.longdpo.coordinator.run.RunDirectory;
import dev.longdpo.coordinator.run.RunManifest;
import dev.longdpo.coordinator.search.SearchSettings;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.protocol.coordinator.CoordinatorProtocol;
import dev.longdpo.protocol.search.TaskSpec;
import dev.longdpo.testbed.TestbedSettings;
import dev.longdpo.testbed.task.WritingTask;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * One search run in this JVM: a cluster of one hosting search nodes over copies of the policy
 * model, reward and critic actors, and the coordinator. Used by {@code longdpo search}.
 */
public final class SearchJob {

  /** The outcome: the coordinator's summary and the policy's counters. */
  public record Outcome(RunSummary summary, PolicyStats policy) {}

  private SearchJob() {}

  /**
   * Runs the search over {@code tasks} into {@code runDir}, resuming it if the directory holds an
   * earlier session of the same run.
   *
   * @param policyModels the model that samples (the base: also the reference), one copy per
   *     search node ({@code longdpo.actors.search-nodes}; a model serves one batch at a time)
   * @param policyName what the manifest records as the policy (the base model's key)
   * @param reference the reference whose log-probs the pairs carry, and how they are taken
   * @param referenceScorer scores the pairs' sides when the policy is not the reference
   * @param onCoordinator receives the coordinator's ref as soon as it runs (a trainer subscribes)
   */
  public static Outcome run(
      Config config, SearchSettings settings, List<LanguageModel> policyModels, String policyName,
      ReferenceRecord reference,
      Optional<ReferenceScorer> referenceScorer, List<WritingTask> tasks,
      Path runDir, String runId, Progress progress, java.util.function.Consumer<ActorRef<CoordinatorProtocol.Command>> onCoordinator)
      throws Exception {
    List<TaskSpec> specs = tasks.stream().map(TaskSpecs::of).toList();
    RunManifest manifest =
        new RunManifest(runId, specs.size(), RunDirectory.hash(specs), policyName, RunManifest.describe(settings));
    RunDirectory dir = RunDirectory.openOrCreate(runDir, manifest, specs);
    dir.recordReference(reference);
    ActorsSettings actors = ActorsSettings.create(config);
    TestbedSettings testbed = TestbedSettings.create(config);
    LanguageModel policyModel = policyModels.get(0);
    List<ModelPolicy> nodes = new ArrayList<>();
    List<Supplier<Policy>> policies = new ArrayList<>();
    for (LanguageModel m : policyModels) {
      ModelPolicy policy = new ModelPolicy(m, actors.cacheBudgetBytes());
      nodes.add(policy);
      policies.add(() -> policy);
    }
    Workers.Spec spec = new Workers.Spec(policies, 2, TestbedJudge::new, 1, TestbedCritic::new);
    CompletableFuture<RunSummary> finished = new CompletableFuture<>();
    try (PairLog log = PairLog.open(dir.pairLog())) {
      int already = log.contents().completed().size();
      progress.phase("search", tasks.size());
      progress.progress(Math.min(already, tasks.size()), "resumed");
      RunListener listener = new RunListener() {
        @Override
        public void treeFinished(int completed, int total, long pairs) {
          progress.progress(completed, pairs + " pairs");
        }
      };
      SearchBackends backends =
          new SearchBackends(new ModelPromptEncoder(policyModel), new TestbedFacts(testbed.similarityThreshold()),
              referenceScorer);
      ActorSystem<Void> system = LocalCluster.start("longdpo", Behaviors.setup(ctx -> {
        ctx.spawn(Workers.create(spec, actors), "workers");
        ActorRef<RunSummary> done = ctx.spawn(LocalCluster.completing(finished), "run-finished");
        ActorRef<CoordinatorProtocol.Command> coordinator = ctx.spawn(
            Coordinator.create(new Coordinator.Plan(runId, specs, settings, log),
                backends, listener, done), "coordinator");
        onCoordinator.accept(coordinator);
        return Behaviors.empty();
      }), config);
      try {
        RunSummary summary = finished.get();
        progress.close();
        PolicyStats stats = nodes.stream().map(ModelPolicy::stats).reduce(PolicyStats::plus).orElseThrow();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("summary", summary);
        out.put("policy", stats);
        out.put("prefix_cache_share", stats.cacheShare());
        dir.writeSummary(out);
        return new Outcome(summary, stats);
      } finally {
        LocalCluster.stop(system, Duration.ofSeconds(20));
      }
    }
  }
}
