package dev.longdpo.bench.train;

import com.typesafe.config.ConfigFactory;
import dev.longdpo.bench.BenchReporter;
import dev.longdpo.bench.Benchmark;
import dev.longdpo.bench.model.BenchShapes;
import dev.longdpo.gpuworker.dpo.DpoSettings;
import dev.longdpo.gpuworker.dpo.DpoTrainer;
import dev.longdpo.gpuworker.dpo.TrainingPair;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.runtime.DjlRuntime;
import dev.longdpo.model.train.GradientLock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * P5: stepwise DPO pairs/s with prefix sharing against the plain two-sequence path, at
 * prefix:step = 8:1 (256-token prefixes, 32-token steps, 8 pairs a step) on the anchor shape.
 * Token counts bound the gain at 1.8x (18 units of work against 10). Also: two gpu-workers in one
 * JVM against one (their steps take turns, see GradientLock), pairs/s of both together.
 */
public final class DpoBenchmark implements Benchmark {

  private static final int PREFIX = 256;
  private static final int STEP = 32;
  private static final int PAIRS = 8;
  private static final int STEPS = 4;

  @Override
  public String id() {
    return "P5";
  }

  @Override
  public String description() {
    return "DPO pairs/s with the shared prefix vs the plain path at prefix:step 8:1; two workers vs one";
  }

  @Override
  public void run(BenchReporter r) throws Exception {
    DjlRuntime.withIntraOpThreads(BenchShapes.THREADS, () -> sharedVersusPlain(r));
    // The demo's setting: one intra-op thread per worker.
    DjlRuntime.withIntraOpThreads(1, () -> twoWorkersVersusOne(r));
  }

  private static void sharedVersusPlain(BenchReporter r) throws Exception {
    double shared = pairsPerSecond(true, STEPS);
    double plain = pairsPerSecond(false, STEPS);
    r.figure("P5.shared_pairs_per_s", shared, "pairs/s");
    r.figure("P5.plain_pairs_per_s", plain, "pairs/s");
    r.figure("P5.shared_vs_plain", shared / plain, "x");
  }

  /**
   * Two workers against one alone. Both build their model and take a warm-up step first; the clock
   * starts when both are ready.
   */
  private static void twoWorkersVersusOne(BenchReporter r) throws Exception {
    double one = pairsPerSecond(true, STEPS);
    AtomicLong waitedAtStart = new AtomicLong();
    CyclicBarrier ready = new CyclicBarrier(2, () -> waitedAtStart.set(GradientLock.waitedMillis()));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    long start = Long.MAX_VALUE;
    long end = 0;
    try {
      List<Future<long[]>> runs = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        runs.add(pool.submit(() -> timedSteps(true, STEPS, ready)));
      }
      for (Future<long[]> f : runs) {
        long[] span = f.get();
        start = Math.min(start, span[0]);
        end = Math.max(end, span[1]);
      }
    } finally {
      pool.shutdownNow();
    }
    double seconds = (end - start) / 1e9;
    double both = 2 * STEPS * PAIRS / seconds;
    r.note(String.format(Locale.ROOT, "two workers waited %.1f s for the gradient lock in %.1f s",
        (GradientLock.waitedMillis() - waitedAtStart.get()) / 1000.0, seconds));
    r.figure("P5.two_workers_vs_one", both / one, "x");
  }

  /** Pairs/s over {@code steps} timed optimizer steps (after one warm-up step). */
  private static double pairsPerSecond(boolean shared, int steps) throws Exception {
    long[] span = timedSteps(shared, steps, null);
    return steps * PAIRS / ((span[1] - span[0]) / 1e9);
  }

  /**
   * The benchmarks' batch: {@link #PAIRS} pairs of a {@link #PREFIX}-token prefix and two
   * {@link #STEP}-token steps, fixed by their seeds.
   */
  static List<TrainingPair> fixedBatch(int vocab) {
    List<TrainingPair> batch = new ArrayList<>();
    for (int i = 0; i < PAIRS; i++) {
      int[] prefix = BenchShapes.tokens(PREFIX, 10 + i, vocab);
      int[] chosen = Arrays.copyOfRange(BenchShapes.tokens(STEP + 1, 100 + i, vocab), 1, STEP + 1);
      int[] rejected = Arrays.copyOfRange(BenchShapes.tokens(STEP + 1, 200 + i, vocab), 1, STEP + 1);
      batch.add(new TrainingPair(prefix, chosen, rejected, -STEP * 8.3, -STEP * 8.3, 0));
    }
    return batch;
  }

  /**
   * Builds a random anchor-shape model, takes a warm-up step, waits at {@code ready} (if any), then
   * times {@code steps} steps on a fixed batch; returns their start and end in nanoseconds.
   */
  private static long[] timedSteps(boolean shared, int steps, CyclicBarrier ready) throws Exception {
    DpoSettings s = DpoSettings.create(ConfigFactory.load()).withPrefixSharing(shared);
    try (LanguageModel m = LanguageModel.random(BenchShapes.anchor(), 1, Optional.empty(), true);
        DpoTrainer t = new DpoTrainer(m, s, 100)) {
      List<TrainingPair> batch = fixedBatch(m.config().vocabSize());
      t.step(batch);
      if (ready != null) {
        // Bounded, so a worker that failed before the barrier cannot leave the other parked.
        ready.await(5, TimeUnit.MINUTES);
      }
      long start = System.nanoTime();
      for (int i = 0; i < steps; i++) {
        t.step(batch);
      }
      return new long[] {start, System.nanoTime()};
    }
  }
}
