package dev.longdpo.bench.train;

import com.typesafe.config.ConfigFactory;
import dev.longdpo.bench.model.BenchShapes;
import dev.longdpo.gpuworker.dpo.DpoSettings;
import dev.longdpo.gpuworker.dpo.DpoTrainer;
import dev.longdpo.gpuworker.dpo.TrainingPair;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.runtime.ProcessMemory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One trainer JVM of benches P5x and P13: builds a random model of the anchor shape, takes a
 * warm-up step on P5's batch ({@link DpoBenchmark#fixedBatch}), says it is ready (a file), waits
 * for the go file, times its steps on that batch and prints {@code SPAN <start-ms> <end-ms> <pairs>
 * <peak-resident-bytes>}. Its own process, as a trainer node is.
 *
 * <p>Arguments: the ready file, the go file, the number of timed steps, a seed.
 */
public final class TrainerJvmWorker {


  private TrainerJvmWorker() {}

  public static void main(String[] args) throws Exception {
    Path ready = Path.of(args[0]);
    Path go = Path.of(args[1]);
    int steps = Integer.parseInt(args[2]);
    int seed = Integer.parseInt(args[3]);
    DpoSettings s = DpoSettings.create(ConfigFactory.load());
    try (LanguageModel m = LanguageModel.random(BenchShapes.anchor(), seed, Optional.empty(), true);
        DpoTrainer t = new DpoTrainer(m, s, 100)) {
      List<TrainingPair> batch = DpoBenchmark.fixedBatch(m.config().vocabSize());
      t.step(batch);
      Files.writeString(ready, "ready\n");
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (!Files.exists(go)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("no go file " + go + " within 5 minutes");
        }
        TimeUnit.MILLISECONDS.sleep(10); // a start line shared with another process: a file
      }
      long start = System.currentTimeMillis();
      for (int i = 0; i < steps; i++) {
        t.step(batch);
      }
      long end = System.currentTimeMillis();
      System.out.println("SPAN " + start + " " + end + " " + steps * batch.size() + " "
          + (long) ProcessMemory.peakResidentBytes());
    }
  }
}
