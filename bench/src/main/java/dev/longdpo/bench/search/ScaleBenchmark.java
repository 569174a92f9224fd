package dev.longdpo.bench.search;

import dev.longdpo.actors.backend.PromptEncoder;
import dev.longdpo.actors.backend.testing.TestingJudge;
import dev.longdpo.actors.backend.testing.TestingPolicy;
import dev.longdpo.bench.BenchReporter;
import dev.longdpo.bench.Benchmark;
import dev.longdpo.coordinator.RunSummary;
import dev.longdpo.coordinator.search.SearchSettings;
import dev.longdpo.testbed.task.TaskGenerator;
import dev.longdpo.testbed.task.WritingTask;
import java.util.List;

/**
 * P7: time per pair at 1000 prompts against 100, through the actors with the scripted policy and
 * judge, so it measures the search machinery (coordinator, runners, log, stream) alone.
 */
public final class ScaleBenchmark implements Benchmark {

  @Override
  public String id() {
    return "P7";
  }

  @Override
  public String description() {
    return "time per pair at 1000 prompts vs 100 (scripted policy and judge)";
  }

  @Override
  public void run(BenchReporter r) throws Exception {
    SearchSettings settings = SearchSettings.create(SearchFixtures.config()).withBudget(3, 4).withTreesInFlight(64)
        .withComponents(false, true).withMinEndFraction(0);
    perPair(100, settings); // warm-up
    double small = perPair(100, settings);
    double large = perPair(1000, settings);
    r.figure("P7.us_per_pair_100", small * 1e6, "us");
    r.figure("P7.us_per_pair_1000", large * 1e6, "us");
    r.figure("P7.per_pair_1000_vs_100", large / small, "x");
  }

  private static double perPair(int prompts, SearchSettings settings) throws Exception {
    List<WritingTask> tasks = new TaskGenerator(prompts).generate(prompts, 0);
    long t0 = System.nanoTime();
    RunSummary s = SearchFixtures.runActors(() -> new TestingPolicy(3, 6), TestingJudge::new, tasks, settings,
        SearchFixtures.backends(t -> new PromptEncoder.EncodedPrompt(new int[] {1, 4, 5}, t.prompt())), SearchFixtures.tempLog());
    return (System.nanoTime() - t0) / 1e9 / s.pairs();
  }
}
