package dev.longdpo.bench.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.longdpo.bench.BenchReporter;
import dev.longdpo.bench.Benchmark;
import dev.longdpo.config.files.AtomicDirectory;
import dev.longdpo.model.checkpoint.WeightsHash;
import dev.longdpo.testbed.TestbedSettings;
import dev.longdpo.testbed.pretrain.BaseModelStore;
import dev.longdpo.testbed.pretrain.PretrainListener;
import dev.longdpo.testbed.pretrain.Pretrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * P12: a short pretraining of the base's shape in a JVM of its own (as the demo, the nodes and
 * {@code pretrain} run it, with the pretraining's malloc settings) against the same pretraining in
 * this JVM (the launcher's settings, which suit decoding). Each way twice, alternating, the faster
 * of each counted. The ratio is of the pretrainings' own seconds (its report's {@code
 * pretrain_seconds}: corpus, training, report); what starting the JVM adds is a figure of its own.
 * The weights must be the same bits.
 */
public final class PretrainJvmBenchmark implements Benchmark {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** 600 documents, one epoch: about 90 steps of 2,048 tokens, 15 to 30 s a run on 2 cores. */
  private static final Map<String, Object> SHORT = Map.of(
      "longdpo.testbed.corpus.documents", 600,
      "longdpo.testbed.pretrain.epochs", 1,
      "longdpo.testbed.pretrain.heldout-documents", 10,
      "longdpo.testbed.pretrain.sample-tasks", 0);

  @Override
  public String id() {
    return "P12";
  }

  @Override
  public String description() {
    return "a short pretraining in a JVM of its own against the same in this JVM";
  }

  @Override
  public void run(BenchReporter r) throws Exception {
    Config config = ConfigFactory.parseMap(SHORT).withFallback(ConfigFactory.load()).resolve();
    Path dir = Files.createTempDirectory("longdpo-bench-p12");
    try {
      double here = Double.MAX_VALUE;
      double own = Double.MAX_VALUE;
      double start = Double.MAX_VALUE;
      for (int round = 0; round < 2; round++) {
        Path h = dir.resolve("here-" + round);
        inThisJvm(config, h);
        here = Math.min(here, pretrainSeconds(h));
        Path o = dir.resolve("own-" + round);
        double wall = inItsOwnJvm(config, o);
        own = Math.min(own, pretrainSeconds(o));
        start = Math.min(start, wall - pretrainSeconds(o));
      }
      boolean same = WeightsHash.of(dir.resolve("here-0")).equals(WeightsHash.of(dir.resolve("own-0")));
      r.figure("P12.in_this_jvm_s", here, "s");
      r.figure("P12.own_jvm_s", own, "s");
      r.figure("P12.own_jvm_speedup", here / own, "x");
      r.figure("P12.own_jvm_start_s", start, "s");
      r.figure("P12.same_weights", same ? 1 : 0, "bool");
      r.note(String.format(Locale.ROOT, "this JVM's MALLOC_MMAP_THRESHOLD_=%s",
          System.getenv().getOrDefault("MALLOC_MMAP_THRESHOLD_", "(unset: glibc's adaptive threshold)")));
    } finally {
      AtomicDirectory.deleteRecursively(dir);
    }
  }

  private static void inThisJvm(Config config, Path out) throws Exception {
    new Pretrainer(TestbedSettings.create(config)).run(out, out.resolveSibling(out.getFileName() + ".work"),
        PretrainListener.SILENT);
  }

  private static double pretrainSeconds(Path model) throws Exception {
    return JSON.readTree(Files.readString(model.resolve("report.json"))).get("pretrain_seconds").asDouble();
  }

  private static double inItsOwnJvm(Config config, Path out) throws Exception {
    long start = System.nanoTime();
    BaseModelStore.pretrainTo(out, config, PretrainListener.SILENT);
    return (System.nanoTime() - start) / 1e9;
  }
}
