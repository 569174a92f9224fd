package dev.longdpo.bench.search;

import dev.longdpo.actors.backend.ModelPolicy;
import dev.longdpo.actors.backend.TestbedJudge;
import dev.longdpo.actors.metrics.NodeMeters;
import dev.longdpo.bench.BenchReporter;
import dev.longdpo.bench.Benchmark;
import dev.longdpo.coordinator.RunSummary;
import dev.longdpo.coordinator.search.SearchSettings;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.testbed.task.TaskGenerator;
import dev.longdpo.testbed.task.WritingTask;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;

/**
 * P11: what the node's meters cost a search. The cost of one update (a counter, a gauge, a
 * summary, as the search makes them, through the global registry backed by a real registry),
 * times the updates a search through the actors makes per second, as a share of its time.
 */
public final class MetricsCostBenchmark implements Benchmark {

  private static final int UPDATES = 2_000_000;

  @Override
  public String id() {
    return "P11";
  }

  @Override
  public String description() {
    return "the meters' cost as a share of a search's time";
  }

  @Override
  public void run(BenchReporter r) throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Metrics.addRegistry(registry);
    try {
      double nanosPerUpdate = updateCost();
      List<WritingTask> tasks = new TaskGenerator(3).generate(48, 0).stream().filter(t -> t.length() < 200).toList();
      SearchSettings settings = SearchSettings.create(SearchFixtures.config());
      try (LanguageModel model = SearchFixtures.randomTestbedModel();
          ModelPolicy policy = new ModelPolicy(model, 256L << 20)) {
        var backends = SearchFixtures.backends(new dev.longdpo.actors.backend.ModelPromptEncoder(model));
        long before = NodeMeters.updates();
        RunSummary s = SearchFixtures.runActors(() -> policy, TestbedJudge::new, tasks, settings, backends,
            SearchFixtures.tempLog());
        double perSecond = (NodeMeters.updates() - before) / s.seconds();
        r.note(tasks.size() + " prompts, " + s.pairs() + " pairs in " + String.format("%.1f", s.seconds()) + " s; "
            + (NodeMeters.updates() - before) + " meter updates");
        r.figure("P11.meter_update_ns", nanosPerUpdate, "ns");
        r.figure("P11.meter_updates_per_s_search", perSecond, "updates/s");
        r.figure("P11.meters_share_of_search", perSecond * nanosPerUpdate / 1e9 * 1e6, "ppm");
      }
    } finally {
      Metrics.removeRegistry(registry);
      registry.close();
    }
  }

  /** Nanoseconds per update, the mix the search makes (after a warm-up of the same length). */
  private static double updateCost() {
    for (int round = 0; round < 2; round++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < UPDATES; i += 4) {
        NodeMeters.count("longdpo.bench.count", 1);
        NodeMeters.count("longdpo.bench.tokens", 24, "variant", "longdpo");
        NodeMeters.set("longdpo.bench.gauge", i, "variant", "longdpo");
        NodeMeters.record("longdpo.bench.rows", i & 63);
      }
      if (round == 1) {
        return (System.nanoTime() - t0) / (double) UPDATES;
      }
    }
    throw new IllegalStateException("unreachable");
  }
}
