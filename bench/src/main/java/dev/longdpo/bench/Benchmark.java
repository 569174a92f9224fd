package dev.longdpo.bench;

/** One benchmark: a goal id (P1, P3, ...) and the code that measures it. */
public interface Benchmark {

  /** The goal id, the prefix of every figure it prints ({@code P1}). */
  String id();

  /** One line on what it measures. */
  String description();

  /** Measures and reports; may print {@code #} comment lines for context. */
  void run(BenchReporter reporter) throws Exception;
}
