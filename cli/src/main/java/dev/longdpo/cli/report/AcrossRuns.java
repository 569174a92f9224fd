package dev.longdpo.cli.report;

import dev.longdpo.testbed.metrics.Headline;
import dev.longdpo.testbed.metrics.SubjectBootstrap;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One comparison (say longdpo − base) over several finished runs side by side, with the verdict
 * the README uses: a metric is better (or worse) only where every run's 95% interval excludes 0
 * and every run's difference has the same sign; otherwise the runs do not show a difference. Runs
 * of the same seed also give the spread of a rerun: the largest difference between two of them.
 */
public final class AcrossRuns {

  /**
   * One run's comparison.
   *
   * @param label how the column is headed ("seed 2", "seed 1 #2")
   */
  public record Run(String label, long seed, Comparison comparison) {}

  /** The direction a run set shows for one metric. */
  public enum Verdict {
    BETTER,
    WORSE,
    NOT_SHOWN;

    /** "better", "worse", "not shown". */
    public String text() {
      return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
  }

  /** Metrics where a lower value is the better one. */
  private static final Set<String> LOWER_IS_BETTER = Set.of("repeated", "off_topic", "contradictions", "length_error");

  private final List<Run> runs;

  /** The runs, in column order; each compares the same two models. */
  public AcrossRuns(List<Run> runs) {
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("no runs");
    }
    this.runs = List.copyOf(runs);
  }

  /** The verdict of {@code metric} over every run. */
  public Verdict verdict(String metric) {
    int sign = 0;
    for (Run r : runs) {
      SubjectBootstrap.Interval i = r.comparison().metrics().get(metric);
      int s = (int) Math.signum(i.estimate());
      if (!i.excludesZero() || s == 0 || (sign != 0 && s != sign)) {
        return Verdict.NOT_SHOWN;
      }
      sign = s;
    }
    boolean up = sign > 0;
    return up != LOWER_IS_BETTER.contains(metric) ? Verdict.BETTER : Verdict.WORSE;
  }

  /**
   * The largest spread of {@code metric}'s difference between runs of one seed (NaN without a
   * seed run twice).
   */
  public double rerunSpread(String metric) {
    Map<Long, double[]> range = new TreeMap<>(); // seed -> {min, max, runs}
    for (Run r : runs) {
      double d = r.comparison().metrics().get(metric).estimate();
      double[] m = range.computeIfAbsent(r.seed(), s -> new double[] {d, d, 0});
      m[0] = Math.min(m[0], d);
      m[1] = Math.max(m[1], d);
      m[2]++;
    }
    double spread = Double.NaN;
    for (double[] m : range.values()) {
      if (m[2] >= 2) {
        spread = Double.isNaN(spread) ? m[1] - m[0] : Math.max(spread, m[1] - m[0]);
      }
    }
    return spread;
  }

  /** Prints the side-by-side table with its verdicts. */
  public void print(PrintWriter out) {
    Comparison first = runs.get(0).comparison();
    out.printf(Locale.ROOT, "%s: differences with 95%% intervals (%d resamples of %d subjects; * = excludes 0)%n",
        first.label(), SubjectBootstrap.RESAMPLES, first.subjects());
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-20s", "metric"));
    for (Run r : runs) {
      header.append(String.format(Locale.ROOT, " %-26s", r.label()));
    }
    header.append(String.format(Locale.ROOT, " %-10s %s", "verdict", "rerun spread"));
    out.println(header);
    for (String metric : Headline.METRICS) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-20s", DifferenceTable.label(metric)));
      for (Run r : runs) {
        line.append(String.format(Locale.ROOT, " %-26s", DifferenceTable.cell(metric, r.comparison().metrics().get(metric))));
      }
      double spread = rerunSpread(metric);
      line.append(String.format(Locale.ROOT, " %-10s %s", verdict(metric).text(),
          Double.isNaN(spread) ? "-" : String.format(Locale.ROOT, metric.equals("length_error") ? "%.2f" : "%.1f", spread)));
      out.println(line.toString().stripTrailing());
    }
    out.flush();
  }

  /** For JSON: the runs' comparisons, each metric's verdict and rerun spread. */
  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("comparison", runs.get(0).comparison().label());
    List<Object> list = new ArrayList<>();
    for (Run r : runs) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("label", r.label());
      one.put("seed", r.seed());
      one.putAll(r.comparison().asMap());
      list.add(one);
    }
    m.put("runs", list);
    Map<String, Object> verdicts = new LinkedHashMap<>();
    for (String metric : Headline.METRICS) {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("verdict", verdict(metric).text());
      double spread = rerunSpread(metric);
      v.put("rerun_spread", Double.isNaN(spread) ? null : spread);
      verdicts.put(metric, v);
    }
    m.put("metrics", verdicts);
    return m;
  }
}
