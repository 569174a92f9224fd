package dev.longdpo.bench;

import java.io.PrintWriter;
import java.util.Locale;

/** Prints benchmark figures in the one format scripts parse. */
public final class BenchReporter {

  private final PrintWriter out;

  /** Prints to {@code out}, flushing after every line. */
  public BenchReporter(PrintWriter out) {
    this.out = out;
  }

  /** {@code BENCH <id> <value> <unit>}. */
  public void figure(String id, double value, String unit) {
    out.printf(Locale.ROOT, "BENCH %s %s %s%n", id, format(value), unit);
    out.flush();
  }

  /** A context line, ignored by parsers. */
  public void note(String text) {
    out.println("# " + text);
    out.flush();
  }

  private static String format(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.3f", v);
  }
}
