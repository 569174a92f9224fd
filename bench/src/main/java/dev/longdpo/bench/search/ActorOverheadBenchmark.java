package dev.longdpo.bench.search;

import dev.longdpo.actors.backend.ModelPolicy;
import dev.longdpo.actors.backend.ModelPromptEncoder;
import dev.longdpo.actors.backend.TestbedCritic;
import dev.longdpo.actors.backend.TestbedJudge;
import dev.longdpo.bench.BenchReporter;
import dev.longdpo.bench.Benchmark;
import dev.longdpo.coordinator.RunSummary;
import dev.longdpo.coordinator.SearchBackends;
import dev.longdpo.coordinator.SyncSearch;
import dev.longdpo.coordinator.search.SearchSettings;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.protocol.search.StepDecoding;
import dev.longdpo.testbed.task.TaskGenerator;
import dev.longdpo.testbed.task.WritingTask;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * P4: the same search over the same short prompts, with the same model policy and rule judge,
 * through the actors and in the plain single-threaded loop with the same batching; the actors'
 * pairs per second over the loop's, the median of three rounds. P2 (search): one search through
 * the actors over deeper trees; the share of prefix tokens served from the cache during
 * expansions.
 */
public final class ActorOverheadBenchmark implements Benchmark {

  /** P4's rounds; the median is reported. */
  private static final int ROUNDS = 3;

  private final String id;

  /** @param id "P2" for the cache share, "P4" for the overhead */
  public ActorOverheadBenchmark(String id) {
    this.id = id;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String description() {
    return id.equals("P2")
        ? "share of prefix tokens served from the cache during search expansions"
        : "pairs/s through the actors vs the same calls in a plain loop";
  }

  @Override
  public void run(BenchReporter r) throws Exception {
    // P4 measures overhead on many short trees; P2 the cache on fewer, deeper ones.
    boolean p4 = id.equals("P4");
    List<WritingTask> tasks = new TaskGenerator(3).generate(p4 ? 96 : 24, 0).stream()
        .filter(t -> p4 ? t.length() < 200 : t.length() >= 200 && t.length() < 400).toList();
    SearchSettings base = SearchSettings.create(SearchFixtures.config());
    SearchSettings settings = new SearchSettings(2, 4, base.cBase(), base.cInit(),
        new StepDecoding(1.0, 1.0, p4 ? 24 : 32), base.wordsPerStep(), p4 ? 0.5 : 1.0, 0, base.rejected(), false, 2.5,
        3, true, 1, p4 ? 16 : 8, base.seed(), base.askTimeout(), 0);
    try (LanguageModel model = SearchFixtures.randomTestbedModel()) {
      var backends = SearchFixtures.backends(new ModelPromptEncoder(model));
      // Warm up the model and JIT with a short plain run.
      try (ModelPolicy warm = new ModelPolicy(model, 256L << 20)) {
        new SyncSearch(warm, new TestbedJudge(), new TestbedCritic(), backends, 64).run("warm", SearchFixtures.specs(tasks.subList(0, 4)), settings);
      }
      if (!p4) {
        try (ModelPolicy actorPolicy = new ModelPolicy(model, 256L << 20)) {
          SearchFixtures.runActors(() -> actorPolicy, TestbedJudge::new, tasks, settings, backends,
              SearchFixtures.tempLog());
          r.figure("P2.search_prefix_cache_share", actorPolicy.stats().cacheShare(), "ratio");
          r.figure("P2.search_prefix_tokens", actorPolicy.stats().prefixTokens(), "tokens");
        }
        return;
      }
      // One round takes about 2 s a side, so a pause of a tenth of a second on a shared machine
      // moves a single ratio by 0.05: report the median of rounds that alternate the two sides.
      List<Round> rounds = new ArrayList<>();
      for (int i = 0; i < ROUNDS; i++) {
        rounds.add(round(model, tasks, settings, backends));
      }
      for (Round x : rounds) {
        r.note(tasks.size() + " prompts; plain " + x.plainPairs + " pairs in " + String.format("%.2f", x.plainSeconds)
            + " s, actors " + x.actorPairs + " pairs in " + String.format("%.2f", x.actorSeconds) + " s; jobs per batch "
            + String.format("%.2f vs %.2f", x.plainJobsPerBatch, x.actorJobsPerBatch) + "; ratio "
            + String.format("%.2f", x.ratio()));
      }
      r.figure("P4.pairs_per_s_plain", median(rounds.stream().mapToDouble(Round::plainRate).toArray()), "pairs/s");
      r.figure("P4.pairs_per_s_actors", median(rounds.stream().mapToDouble(Round::actorRate).toArray()), "pairs/s");
      r.figure("P4.actors_vs_plain", median(rounds.stream().mapToDouble(Round::ratio).toArray()), "ratio");
    }
  }

  /** One plain search and one through the actors, over the same prompts. */
  private record Round(int plainPairs, double plainSeconds, double plainJobsPerBatch, long actorPairs,
      double actorSeconds, double actorJobsPerBatch) {
    double plainRate() {
      return plainPairs / plainSeconds;
    }

    double actorRate() {
      return actorPairs / actorSeconds;
    }

    double ratio() {
      return actorRate() / plainRate();
    }
  }

  private static Round round(LanguageModel model, List<WritingTask> tasks, SearchSettings settings,
      SearchBackends backends) throws Exception {
    int plainPairs;
    double plainSeconds;
    double plainJobs;
    try (ModelPolicy plainPolicy = new ModelPolicy(model, 256L << 20)) {
      long t0 = System.nanoTime();
      plainPairs = new SyncSearch(plainPolicy, new TestbedJudge(), new TestbedCritic(), backends, 64)
          .run("plain", SearchFixtures.specs(tasks), settings).size();
      plainSeconds = (System.nanoTime() - t0) / 1e9;
      plainJobs = plainPolicy.stats().jobsPerBatch();
    }
    try (ModelPolicy actorPolicy = new ModelPolicy(model, 256L << 20)) {
      RunSummary s = SearchFixtures.runActors(() -> actorPolicy, TestbedJudge::new, tasks, settings, backends,
          SearchFixtures.tempLog());
      // From the coordinator's start: the actor system's boot is not search work.
      return new Round(plainPairs, plainSeconds, plainJobs, s.pairs(), s.seconds(), actorPolicy.stats().jobsPerBatch());
    }
  }

  private static double median(double[] xs) {
    double[] sorted = xs.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
