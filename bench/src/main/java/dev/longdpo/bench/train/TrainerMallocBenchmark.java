package dev.longdpo.bench.train;

import dev.longdpo.bench.BenchReporter;
import dev.longdpo.bench.Benchmark;
import dev.longdpo.config.files.AtomicDirectory;
import dev.longdpo.model.runtime.SiblingJvm;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * P13: a trainer JVM's stepwise DPO steps (P5x's worker: the anchor shape, P5's batch) under the
 * launcher's malloc settings, which a node that decodes runs with, against training's, which
 * {@code ./longdpo node --roles trainer} gives a node that only trains. One JVM at a time, all
 * cores, each way twice, alternating; the faster run of each counts, and its peak resident set.
 */
public final class TrainerMallocBenchmark implements Benchmark {

  private static final int ROUNDS = 2;

  @Override
  public String id() {
    return "P13";
  }

  @Override
  public String description() {
    return "a trainer JVM's steps under training's malloc settings against the launcher's";
  }

  @Override
  public void run(BenchReporter r) throws Exception {
    Path dir = Files.createTempDirectory("longdpo-bench-p13");
    try {
      TrainerJvmsBenchmark.Result launcher = null;
      TrainerJvmsBenchmark.Result training = null;
      for (int round = 0; round < ROUNDS; round++) {
        launcher = faster(launcher,
            TrainerJvmsBenchmark.run(dir.resolve("launcher-" + round), 1, false, SiblingJvm::putLauncherMallocSettings));
        training = faster(training,
            TrainerJvmsBenchmark.run(dir.resolve("training-" + round), 1, false, SiblingJvm::putTrainingMallocSettings));
      }
      r.figure("P13.launcher_pairs_per_s", launcher.pairsPerSecond(), "pairs/s");
      r.figure("P13.training_pairs_per_s", training.pairsPerSecond(), "pairs/s");
      r.figure("P13.training_malloc_speedup", training.pairsPerSecond() / launcher.pairsPerSecond(), "x");
      r.figure("P13.launcher_peak_rss_mib", launcher.peakResidentBytes() / (1 << 20), "MiB");
      r.figure("P13.training_peak_rss_mib", training.peakResidentBytes() / (1 << 20), "MiB");
    } finally {
      AtomicDirectory.deleteRecursively(dir);
    }
  }

  private static TrainerJvmsBenchmark.Result faster(TrainerJvmsBenchmark.Result best, TrainerJvmsBenchmark.Result next) {
    return best == null || next.pairsPerSecond() > best.pairsPerSecond() ? next : best;
  }
}
