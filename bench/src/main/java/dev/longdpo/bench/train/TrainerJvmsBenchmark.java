package dev.longdpo.bench.train;

import dev.longdpo.bench.BenchReporter;
import dev.longdpo.bench.Benchmark;
import dev.longdpo.model.runtime.SiblingJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * P5x: two trainer JVMs side by side against one alone, as two trainer nodes train two variants.
 * In one JVM two gpu-workers share the training lock (P5.two_workers_vs_one, 0.8 to 1.0x); each
 * node has its own. Each JVM is pinned to a core of its own with {@code taskset} where the machine
 * has one per JVM (the figure says whether it was), takes a warm-up step, then all start together
 * on a go file; pairs/s is the pairs both trained over the span from the first start to the last
 * end.
 */
public final class TrainerJvmsBenchmark implements Benchmark {

  private static final int STEPS = 4;

  @Override
  public String id() {
    return "P5x";
  }

  @Override
  public String description() {
    return "stepwise DPO in two trainer JVMs side by side against one alone";
  }

  @Override
  public void run(BenchReporter r) throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    boolean pin = cores >= 2 && Files.isExecutable(Path.of("/usr/bin/taskset"));
    Path dir = Files.createTempDirectory("longdpo-bench-p5x");
    try {
      double one = run(dir.resolve("one"), 1, pin, SiblingJvm::putLauncherMallocSettings).pairsPerSecond();
      double two = run(dir.resolve("two"), 2, pin, SiblingJvm::putLauncherMallocSettings).pairsPerSecond();
      r.figure("P5x.one_jvm_pairs_per_s", one, "pairs/s");
      r.figure("P5x.two_jvms_pairs_per_s", two, "pairs/s");
      r.figure("P5x.two_trainer_jvms_vs_one", two / one, "x");
      r.note(String.format(Locale.ROOT, "%d cores; %s", cores,
          pin ? "each JVM pinned to a core of its own (taskset)" : "not pinned (no taskset or one core)"));
    } finally {
      dev.longdpo.config.files.AtomicDirectory.deleteRecursively(dir);
    }
  }

  /** Pairs/s of trainer JVMs started together, and the highest peak resident set among them. */
  record Result(double pairsPerSecond, double peakResidentBytes) {}

  /**
   * Starts {@code jvms} trainer JVMs (each pinned to a core of its own if {@code pin}), their
   * environment set by {@code malloc}, and times their steps from the first start to the last end.
   */
  static Result run(Path dir, int jvms, boolean pin, Consumer<Map<String, String>> malloc) throws Exception {
    Files.createDirectories(dir);
    Path go = dir.resolve("go");
    List<Process> processes = new ArrayList<>();
    List<Path> outputs = new ArrayList<>();
    try {
      for (int i = 0; i < jvms; i++) {
        List<String> cmd = new ArrayList<>();
        if (pin) {
          cmd.addAll(List.of("/usr/bin/taskset", "-c", String.valueOf(i)));
        }
        cmd.addAll(SiblingJvm.command(List.of("-Xmx1g"), TrainerJvmWorker.class.getName(), List.of(
            dir.resolve("ready-" + i).toString(), go.toString(), String.valueOf(STEPS), String.valueOf(1 + i))));
        Path out = dir.resolve("out-" + i);
        outputs.add(out);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        malloc.accept(pb.environment());
        processes.add(pb.start());
      }
      for (int i = 0; i < jvms; i++) {
        awaitFile(dir.resolve("ready-" + i), processes.get(i), outputs.get(i));
      }
      Files.writeString(go, "go\n");
      long start = Long.MAX_VALUE;
      long end = 0;
      long pairs = 0;
      double peak = 0;
      for (int i = 0; i < jvms; i++) {
        Process p = processes.get(i);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
          throw new IllegalStateException("trainer JVM " + i + " failed: " + Files.readString(outputs.get(i)));
        }
        String span = Files.readString(outputs.get(i), StandardCharsets.UTF_8).lines()
            .filter(l -> l.startsWith("SPAN ")).findFirst()
            .orElseThrow(() -> new IllegalStateException("trainer JVM printed no span"));
        String[] f = span.split(" ");
        start = Math.min(start, Long.parseLong(f[1]));
        end = Math.max(end, Long.parseLong(f[2]));
        pairs += Long.parseLong(f[3]);
        peak = Math.max(peak, Double.parseDouble(f[4]));
      }
      return new Result(pairs / ((end - start) / 1000.0), peak);
    } finally {
      processes.forEach(Process::destroyForcibly);
    }
  }

  private static void awaitFile(Path file, Process p, Path output) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (!Files.exists(file)) {
      if (!p.isAlive()) {
        throw new IOException("trainer JVM exited before it was ready: " + Files.readString(output));
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("trainer JVM not ready within 5 minutes");
      }
      p.waitFor(20, TimeUnit.MILLISECONDS); // returns early if it exits
    }
  }
}
