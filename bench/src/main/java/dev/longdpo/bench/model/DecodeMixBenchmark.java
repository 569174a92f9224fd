package dev.longdpo.bench.model;

import dev.longdpo.bench.BenchReporter;
import dev.longdpo.bench.Benchmark;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.LlamaConfig;
import dev.longdpo.model.generate.GenerationRequest;
import dev.longdpo.model.generate.PrefixState;
import dev.longdpo.model.generate.SamplingParams;
import dev.longdpo.model.runtime.DjlRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * P9: decoding speed on the work the search and the evaluator really do, as a fraction of the
 * compute bound. Each recorded mix ({@link DecodeMix}: the batch sizes, prefix lengths and sampled
 * lengths of a quick-demo search and of an evaluation, with the pretrained base) is replayed on a
 * random model of the base's shape, one intra-op thread as the nodes run. The bound is 2 × the
 * parameters × the sampled tokens ÷ this run's own 1024×1024 matmul rate on the same thread count;
 * attention over the cache is work on top of it, so 1.0 cannot be reached.
 *
 * <p>Prefixes are completed before the clock starts (the search continues from cached states; the
 * evaluator's prompt prefill is not decoding). Rows sample with the evaluator's temperature and
 * top-p and stop at their recorded length.
 */
public final class DecodeMixBenchmark implements Benchmark {

  /**
   * A checkpoint directory to replay on instead of the random model: its logits, not a random
   * model's near-uniform ones, set how many tokens the top-p sampler sorts.
   */
  static final String MODEL_PROPERTY = "longdpo.bench.p9.model";

  /**
   * Sampled tokens replayed per mix (default 6000: a few seconds each; more for comparing two
   * builds, whose difference is smaller than the default's run-to-run spread).
   */
  static final String TOKENS_PROPERTY = "longdpo.bench.p9.tokens";

  @Override
  public String id() {
    return "P9";
  }

  @Override
  public String description() {
    return "decoded tokens/s of a replayed search mix and evaluator mix, as a fraction of the compute bound";
  }

  @Override
  public void run(BenchReporter r) {
    DjlRuntime.withIntraOpThreads(1, () -> measure(r));
  }

  /**
   * The testbed base's shape (testbed reference.conf) and vocabulary (1424 tokens: the default
   * corpus's tokenizer, base model sha256 0ddd757e…).
   */
  public static LlamaConfig baseShape() {
    return LlamaConfig.of(1424, 128, 384, 4, 4, 2, 1280)
        .withTiedEmbeddings(true)
        .withSpecialTokens(Optional.of(1), List.of(2), Optional.of(0));
  }

  private void measure(BenchReporter r) {
    String dir = System.getProperty(MODEL_PROPERTY, "");
    try (LanguageModel m = dir.isEmpty()
        ? LanguageModel.random(baseShape(), 9, Optional.empty(), false)
        : LanguageModel.load(java.nio.file.Path.of(dir))) {
      r.note(dir.isEmpty() ? "a random model of the base's shape" : "the model in " + dir);
      double matmul = TrainBenchmark.matmulGflops(m.manager());
      double flopPerToken = 2.0 * m.config().parameterCount();
      r.note("parameters: " + m.config().parameterCount() + "; matmul at 1 thread: "
          + String.format("%.1f", matmul) + " GFLOP/s");
      r.figure("P9.matmul_gflops_1_thread", matmul, "GFLOP/s");
      for (String name : List.of("search", "eval")) {
        DecodeMix mix = DecodeMix.resource(name).firstTokens(Long.getLong(TOKENS_PROPERTY, 6000));
        replay(m, mix.firstTokens(500)); // warm-up
        double tokensPerSecond = replay(m, mix);
        double fraction = tokensPerSecond * flopPerToken / (matmul * 1e9);
        r.note(name + " mix: " + mix.calls().size() + " calls, " + mix.newTokens() + " tokens, "
            + String.format("%.1f", (double) mix.newTokens() / rowCount(mix)) + " tokens per row, "
            + String.format("%.1f", (double) rowCount(mix) / mix.calls().size()) + " rows per call");
        r.figure("P9." + name + "_tokens_per_s", tokensPerSecond, "tokens/s");
        r.figure("P9." + name + "_fraction_of_bound", fraction, "ratio");
      }
    }
  }

  private static long rowCount(DecodeMix mix) {
    return mix.calls().stream().mapToLong(List::size).sum();
  }

  /** Sampled tokens per second of generate calls alone, over the whole mix. */
  public static double replay(LanguageModel m, DecodeMix mix) {
    int vocab = m.config().vocabSize();
    long nanos = 0;
    long seed = 0;
    for (List<DecodeMix.Row> call : mix.calls()) {
      List<GenerationRequest> requests = new ArrayList<>();
      List<PrefixState> prefixes = new ArrayList<>();
      for (DecodeMix.Row row : call) {
        PrefixState p = m.prefix(BenchShapes.tokens(row.prefixLength(), seed++, vocab));
        m.complete(p);
        prefixes.add(p);
        SamplingParams params =
            SamplingParams.sampling(0.8, Math.max(1, row.newTokens())).withTopP(0.95).withStopAtEos(false);
        requests.add(GenerationRequest.of(p, params, seed));
      }
      long start = System.nanoTime();
      m.generate(requests);
      nanos += System.nanoTime() - start;
      prefixes.forEach(PrefixState::close);
    }
    return mix.newTokens() / (nanos / 1e9);
  }
}
