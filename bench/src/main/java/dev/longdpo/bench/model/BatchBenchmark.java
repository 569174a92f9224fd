package dev.longdpo.bench.model;

import dev.longdpo.bench.BenchReporter;
import dev.longdpo.bench.Benchmark;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.generate.GenerationRequest;
import dev.longdpo.model.generate.SamplingParams;
import dev.longdpo.model.runtime.DjlRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** P3: generated tokens per second at batch 16 against batch 1, 64-token prompts, prefill included. */
public final class BatchBenchmark implements Benchmark {

  private static final int PROMPT = 64;
  private static final int NEW_TOKENS = 64;

  @Override
  public String id() {
    return "P3";
  }

  @Override
  public String description() {
    return "tokens/s at batch 16 vs batch 1, 64-token prompts, 64 new tokens each";
  }

  @Override
  public void run(BenchReporter r) {
    DjlRuntime.withIntraOpThreads(BenchShapes.THREADS, () -> measure(r));
  }

  private void measure(BenchReporter r) {
    try (LanguageModel m = LanguageModel.random(BenchShapes.anchor(), 1, Optional.empty(), false)) {
      tokensPerSecond(m, 2, 1);
      double one = tokensPerSecond(m, 1, 3);
      double sixteen = tokensPerSecond(m, 16, 3);
      r.figure("P3.tokens_per_s_batch1", one, "tokens/s");
      r.figure("P3.tokens_per_s_batch16", sixteen, "tokens/s");
      r.figure("P3.batch16_vs_batch1", sixteen / one, "x");
    }
  }

  static double tokensPerSecond(LanguageModel m, int batch, int reps) {
    double best = 0;
    for (int rep = 0; rep < reps; rep++) {
      List<GenerationRequest> requests = new ArrayList<>();
      for (int b = 0; b < batch; b++) {
        int[] prompt = BenchShapes.tokens(PROMPT, 1000L * rep + b, m.config().vocabSize());
        requests.add(
            GenerationRequest.of(
                m.prefix(prompt), SamplingParams.sampling(1.0, NEW_TOKENS).withStopAtEos(false), b));
      }
      long start = System.nanoTime();
      m.generate(requests);
      double seconds = (System.nanoTime() - start) / 1e9;
      best = Math.max(best, batch * NEW_TOKENS / seconds);
      requests.forEach(q -> q.prefix().close());
    }
    return best;
  }
}
