package dev.longdpo.bench.model;

import dev.longdpo.bench.BenchReporter;
import dev.longdpo.bench.Benchmark;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.generate.GenerationRequest;
import dev.longdpo.model.generate.PrefixState;
import dev.longdpo.model.generate.SamplingParams;
import dev.longdpo.model.runtime.DjlRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** P2 (fork): prefill tokens spent on K = 4 continuations of one 512-token prefix. */
public final class ForkBenchmark implements Benchmark {

  @Override
  public String id() {
    return "P2";
  }

  @Override
  public String description() {
    return "prefill tokens for K=4 continuations of a 512-token prefix (goal: the prefix once)";
  }

  @Override
  public void run(BenchReporter r) {
    DjlRuntime.withIntraOpThreads(BenchShapes.THREADS, () -> measure(r));
  }

  private void measure(BenchReporter r) {
    try (LanguageModel m = LanguageModel.random(BenchShapes.anchor(), 1, Optional.empty(), false)) {
      PrefixState prefix = m.prefix(BenchShapes.tokens(512, 5, m.config().vocabSize()));
      List<GenerationRequest> forks = new ArrayList<>();
      for (int k = 0; k < 4; k++) {
        forks.add(GenerationRequest.of(prefix, SamplingParams.sampling(1.0, 16).withStopAtEos(false), k));
      }
      long before = m.stats().prefillTokens();
      m.generate(forks);
      long prefill = m.stats().prefillTokens() - before;
      r.figure("P2.fork_prefill_tokens", prefill, "tokens");
      r.figure("P2.fork_prefill_vs_naive", prefill / (4.0 * 512), "x");
    }
  }
}
