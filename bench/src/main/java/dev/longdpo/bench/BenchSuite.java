package dev.longdpo.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Runs the benchmarks whose ids match the given names (all when none are given). */
public final class BenchSuite {

  private final List<Benchmark> benchmarks;

  /** A suite of these benchmarks, run in order. */
  public BenchSuite(List<Benchmark> benchmarks) {
    this.benchmarks = List.copyOf(benchmarks);
  }

  /** The benchmarks selected by {@code names} (case-insensitive id match). */
  public List<Benchmark> select(List<String> names) {
    if (names.isEmpty()) {
      return benchmarks;
    }
    List<Benchmark> out = new ArrayList<>();
    for (String n : names) {
      boolean found = false;
      for (Benchmark b : benchmarks) {
        if (b.id().equalsIgnoreCase(n) && !out.contains(b)) {
          out.add(b);
          found = true;
        }
      }
      if (!found) {
        throw new IllegalArgumentException(
            "unknown benchmark '" + n + "'; known: " + String.join(", ", ids()));
      }
    }
    return out;
  }

  /** Known ids. */
  public List<String> ids() {
    return benchmarks.stream().map(b -> b.id().toUpperCase(Locale.ROOT)).toList();
  }

  /** Runs the selection, reporting to {@code out}. */
  public void run(List<String> names, PrintWriter out) throws Exception {
    BenchReporter reporter = new BenchReporter(out);
    for (Benchmark b : select(names)) {
      reporter.note(b.id() + ": " + b.description());
      long start = System.nanoTime();
      b.run(reporter);
      reporter.note(b.id() + " took " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }
  }
}
