package dev.longdpo.bench.model;

import dev.longdpo.bench.BenchReporter;
import dev.longdpo.bench.Benchmark;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.generate.GenerationRequest;
import dev.longdpo.model.generate.PrefixState;
import dev.longdpo.model.generate.SamplingParams;
import dev.longdpo.model.runtime.DjlRuntime;
import java.util.Optional;

/**
 * P1: time per new token with the cache at a 1024-token prefix against a 64-token prefix (batch 1),
 * and against recomputing the whole sequence for every token without a cache.
 */
public final class DecodeBenchmark implements Benchmark {

  private static final int NEW_TOKENS = 64;

  @Override
  public String id() {
    return "P1";
  }

  @Override
  public String description() {
    return "decode time per token at a 1024- vs 64-token prefix, batch 1, with the cache";
  }

  @Override
  public void run(BenchReporter r) {
    DjlRuntime.withIntraOpThreads(BenchShapes.THREADS, () -> measure(r));
  }

  private void measure(BenchReporter r) {
    try (LanguageModel m = LanguageModel.random(BenchShapes.anchor(), 1, Optional.empty(), false)) {
      msPerToken(m, 64, 3); // warm up both lengths
      msPerToken(m, 1024, 3);
      // Interleaved, best of several: both lengths see the same machine state.
      double short64 = Double.MAX_VALUE;
      double long1024 = Double.MAX_VALUE;
      for (int round = 0; round < 4; round++) {
        short64 = Math.min(short64, msPerToken(m, 64, 2));
        long1024 = Math.min(long1024, msPerToken(m, 1024, 2));
      }
      double recompute = recomputeMsPerToken(m, 1024, 8);
      r.figure("P1.decode_ms_per_token_64", short64, "ms");
      r.figure("P1.decode_ms_per_token_1024", long1024, "ms");
      r.figure("P1.decode_1024_vs_64", long1024 / short64, "x");
      r.figure("P1.recompute_1024_vs_cache_1024", recompute / long1024, "x");
    }
  }

  /** Best-of-{@code reps} time per decoded token after a prefilled prefix. */
  static double msPerToken(LanguageModel m, int prefixLength, int reps) {
    double best = Double.MAX_VALUE;
    int vocab = m.config().vocabSize();
    for (int rep = 0; rep < reps; rep++) {
      PrefixState prefix = m.prefix(BenchShapes.tokens(prefixLength, rep, vocab));
      m.complete(prefix);
      SamplingParams p = SamplingParams.greedy(NEW_TOKENS).withStopAtEos(false);
      long start = System.nanoTime();
      m.generate(GenerationRequest.of(prefix, p, rep));
      best = Math.min(best, (System.nanoTime() - start) / 1e6 / NEW_TOKENS);
      prefix.close();
    }
    return best;
  }

  /** Time per token when every token re-runs the whole sequence (no cache). */
  static double recomputeMsPerToken(LanguageModel m, int prefixLength, int tokens) {
    int[] ids = BenchShapes.tokens(prefixLength + tokens, 99, m.config().vocabSize());
    long start = System.nanoTime();
    for (int t = 0; t < tokens; t++) {
      PrefixState full = m.prefix(java.util.Arrays.copyOf(ids, prefixLength + t));
      m.complete(full); // a full forward, the next-token logits included
      full.close();
    }
    return (System.nanoTime() - start) / 1e6 / tokens;
  }
}
