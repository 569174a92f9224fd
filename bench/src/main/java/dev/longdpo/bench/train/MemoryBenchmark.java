package dev.longdpo.bench.train;

import com.typesafe.config.ConfigFactory;
import dev.longdpo.model.runtime.ProcessMemory;
import dev.longdpo.bench.BenchReporter;
import dev.longdpo.bench.Benchmark;
import dev.longdpo.bench.model.BenchShapes;
import dev.longdpo.bench.model.DecodeMix;
import dev.longdpo.bench.model.DecodeMixBenchmark;
import dev.longdpo.gpuworker.dpo.DpoSettings;
import dev.longdpo.gpuworker.dpo.DpoTrainer;
import dev.longdpo.gpuworker.dpo.TrainingPair;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.runtime.DjlRuntime;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * P10: peak resident memory (native tensors and the heap together, as the kernel counts them) of a
 * slice of the demo's work on a model of the base's shape: the search's and the evaluator's decode
 * mixes replayed, then DPO steps on pairs of whole answers (prompt 80, chosen 900, rejected 1000
 * tokens, 8 a step), the demo's largest activations. The process's peak is reset before each part
 * (Linux {@code /proc/self/clear_refs}), so each is measured on its own within one JVM; training is
 * measured with the default micro-batches and with the whole batch in one pass.
 */
public final class MemoryBenchmark implements Benchmark {

  private static final int PROMPT = 80;
  private static final int CHOSEN = 900;
  private static final int REJECTED = 1000;
  private static final int PAIRS = 8;
  private static final int STEPS = 1;

  @Override
  public String id() {
    return "P10";
  }

  @Override
  public String description() {
    return "peak resident memory of a search + evaluation + training slice; training's peak vs the whole batch at once";
  }

  @Override
  public void run(BenchReporter r) throws Exception {
    if (!resetPeak()) {
      r.note("P10 needs Linux's /proc/self/clear_refs to reset the peak; skipped");
      return;
    }
    DjlRuntime.withIntraOpThreads(1, () -> measure(r));
  }

  private void measure(BenchReporter r) {
    DpoSettings settings = DpoSettings.create(ConfigFactory.load());
    try (LanguageModel m = LanguageModel.random(DecodeMixBenchmark.baseShape(), 9, Optional.empty(), true)) {
      double start = ProcessMemory.residentBytes();
      resetPeak();
      resetHeapPeaks();
      DecodeMixBenchmark.replay(m, DecodeMix.resource("search").firstTokens(3000));
      DecodeMixBenchmark.replay(m, DecodeMix.resource("eval").firstTokens(3000));
      double decodePeak = ProcessMemory.peakResidentBytes();
      resetPeak();
      double trainBase = ProcessMemory.residentBytes();
      train(m, settings);
      double microPeak = ProcessMemory.peakResidentBytes();
      double heapPeak = heapPeaks();
      resetPeak();
      double wholeBase = ProcessMemory.residentBytes();
      train(m, settings.withMicroBatchTokens(0));
      double wholePeak = ProcessMemory.peakResidentBytes();
      r.note("resident before the slice " + mib(start) + " MiB; micro-batch-tokens " + settings.microBatchTokens());
      r.figure("P10.decode_peak_rss_mib", mib(decodePeak), "MiB");
      r.figure("P10.train_peak_rss_mib", mib(microPeak), "MiB");
      r.figure("P10.slice_peak_rss_mib", mib(Math.max(decodePeak, microPeak)), "MiB");
      r.figure("P10.slice_peak_heap_mib", mib(heapPeak), "MiB");
      r.figure("P10.train_whole_batch_peak_rss_mib", mib(wholePeak), "MiB");
      r.figure("P10.train_growth_vs_whole_batch", (microPeak - trainBase) / (wholePeak - wholeBase), "ratio");
    }
  }

  private static void train(LanguageModel m, DpoSettings settings) {
    List<TrainingPair> batch = new ArrayList<>();
    int vocab = m.config().vocabSize();
    for (int i = 0; i < PAIRS; i++) {
      batch.add(new TrainingPair(BenchShapes.tokens(PROMPT, i, vocab), BenchShapes.tokens(CHOSEN, 100 + i, vocab),
          BenchShapes.tokens(REJECTED, 200 + i, vocab), -2000, -2100, 0));
    }
    try (DpoTrainer t = new DpoTrainer(m, settings, 100)) {
      for (int s = 0; s < STEPS; s++) {
        t.step(batch);
      }
    }
  }

  private static double mib(double bytes) {
    return bytes / (1 << 20);
  }

  /** Resets the kernel's peak resident size of this process; false where that is not possible. */
  private static boolean resetPeak() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static void resetHeapPeaks() {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        p.resetPeakUsage();
      }
    }
  }

  /** The heap pools' peaks summed (an upper bound of the heap's peak: pools peak at different times). */
  private static double heapPeaks() {
    double sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
