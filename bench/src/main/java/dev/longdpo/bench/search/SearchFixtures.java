package dev.longdpo.bench.search;

import com.typesafe.config.Config;
import dev.longdpo.actors.ActorsSettings;
import dev.longdpo.actors.Workers;
import dev.longdpo.actors.backend.Policy;
import dev.longdpo.actors.backend.PromptEncoder;
import dev.longdpo.actors.backend.TaskSpecs;
import dev.longdpo.actors.backend.TestbedCritic;
import dev.longdpo.actors.backend.TestbedFacts;
import dev.longdpo.actors.backend.TestbedJudge;
import dev.longdpo.actors.backend.Judge;
import dev.longdpo.config.ConfigLoader;
import dev.longdpo.coordinator.Coordinator;
import dev.longdpo.coordinator.RunListener;
import dev.longdpo.coordinator.RunSummary;
import dev.longdpo.coordinator.SearchBackends;
import dev.longdpo.coordinator.run.PairLog;
import dev.longdpo.coordinator.search.SearchSettings;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.LlamaConfig;
import dev.longdpo.model.tokenizer.TextTokenizer;
import dev.longdpo.testbed.corpus.Corpus;
import dev.longdpo.testbed.corpus.FlawRates;
import dev.longdpo.testbed.corpus.TokenizerBuilder;
import dev.longdpo.testbed.task.WritingTask;
import dev.longdpo.protocol.search.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** Shared set-up for search benchmarks: a random model with the testbed tokenizer, actor runs. */
public final class SearchFixtures {

  private SearchFixtures() {}

  static Config config() {
    return ConfigLoader.load();
  }

  /** A random model of the base model's shape with a testbed tokenizer (no pretraining needed). */
  public static LanguageModel randomTestbedModel() {
    String json = Corpus.generate(1, 200, 0.25, FlawRates.none()).tokenizerJson(4096);
    TextTokenizer tok = TextTokenizer.fromJson(json, Path.of("<bench>"));
    int vocab = json.split("\"vocab\"")[1].split(",").length + 8;
    LlamaConfig c = LlamaConfig.of(vocab, 128, 384, 4, 4, 2, 1280)
        .withTiedEmbeddings(true)
        .withSpecialTokens(Optional.of(TokenizerBuilder.BOS), List.of(TokenizerBuilder.EOS), Optional.of(TokenizerBuilder.PAD));
    return LanguageModel.random(c, 7, Optional.of(tok), false);
  }

  static SearchBackends backends(PromptEncoder prompts) {
    return new SearchBackends(prompts, new TestbedFacts(0.8));
  }

  /** The tasks as the search receives them. */
  static List<TaskSpec> specs(List<WritingTask> tasks) {
    return tasks.stream().map(TaskSpecs::of).toList();
  }

  /** Runs the actor search once and returns its summary. */
  static RunSummary runActors(Supplier<Policy> policy, Supplier<Judge> judge, List<WritingTask> tasks,
      SearchSettings settings, SearchBackends backends, Path log) throws Exception {
    return runActors(List.of(policy), judge, tasks, settings, backends, log);
  }

  /** Runs the actor search once with a search node per policy and returns its summary. */
  static RunSummary runActors(List<Supplier<Policy>> policies, Supplier<Judge> judge, List<WritingTask> tasks,
      SearchSettings settings, SearchBackends backends, Path log) throws Exception {
    Config config = config();
    ActorsSettings actors = ActorsSettings.create(config);
    CompletableFuture<RunSummary> done = new CompletableFuture<>();
    try (PairLog pairLog = PairLog.open(log)) {
      Workers.Spec spec = new Workers.Spec(policies, 2, judge, 1, TestbedCritic::new);
      ActorSystem<Void> system = ActorSystem.create(Behaviors.setup(ctx -> {
        ctx.spawn(Workers.create(spec, actors), "workers");
        var finished = ctx.spawn(Behaviors.<RunSummary>receiveMessage(m -> {
          done.complete(m);
          return Behaviors.stopped();
        }), "done");
        ctx.spawn(Coordinator.create(new Coordinator.Plan("bench", specs(tasks), settings, pairLog), backends, RunListener.NONE,
            finished), "coordinator");
        return Behaviors.empty();
      }), "bench", config);
      try {
        return done.get();
      } finally {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get();
      }
    }
  }

  static Path tempLog() throws Exception {
    Path dir = Files.createTempDirectory("longdpo-bench");
    dir.toFile().deleteOnExit();
    return dir.resolve("pairs.log");
  }
}
