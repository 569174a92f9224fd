package dev.longdpo.cli.report;

import dev.longdpo.testbed.metrics.Headline;
import dev.longdpo.testbed.metrics.SubjectBootstrap;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's differences as text and HTML: one row per headline metric, one column per
 * comparison, each cell "difference [low, high]" with a star where the 95% interval excludes 0.
 */
public final class DifferenceTable {

  /** How each metric is named in the table and printed. */
  private static final Map<String, String> LABELS = Map.of(
      "S_l", "S_l", "S_q", "S_q", "CR", "CR", "STIC1", "STIC-1", "STIC2", "STIC-2",
      "repeated", "repeated pts", "off_topic", "off-topic pts", "contradictions", "contradictions pts",
      "length_error", "length error");

  private final List<Comparison> comparisons;

  /** A table of {@code comparisons}, in order. */
  public DifferenceTable(List<Comparison> comparisons) {
    this.comparisons = List.copyOf(comparisons);
  }

  /** The subjects a resample draws from. */
  public int subjects() {
    return comparisons.isEmpty() ? 0 : comparisons.get(0).subjects();
  }

  /** The comparisons, in order. */
  public List<Comparison> comparisons() {
    return comparisons;
  }

  /** The caption: what the intervals are. */
  public String caption() {
    int subjects = subjects();
    return String.format(Locale.ROOT, "Differences with 95%% intervals (%d resamples of the %d subjects the tasks are "
        + "about; * = the interval excludes 0)", SubjectBootstrap.RESAMPLES, subjects);
  }

  /** Prints the table. */
  public void print(PrintWriter out) {
    out.println(caption());
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-20s", "metric"));
    for (Comparison c : comparisons) {
      header.append(String.format(Locale.ROOT, " %-26s", c.label()));
    }
    out.println(header.toString().stripTrailing());
    for (String metric : Headline.METRICS) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-20s", LABELS.get(metric)));
      for (Comparison c : comparisons) {
        line.append(String.format(Locale.ROOT, " %-26s", cell(metric, c.metrics().get(metric))));
      }
      out.println(line.toString().stripTrailing());
    }
    out.flush();
  }

  /** The table as HTML. */
  public String html() {
    StringBuilder b = new StringBuilder("<table><tr><th>metric</th>");
    for (Comparison c : comparisons) {
      b.append("<th>").append(c.label()).append("</th>");
    }
    b.append("</tr>\n");
    for (String metric : Headline.METRICS) {
      b.append("<tr><td>").append(LABELS.get(metric)).append("</td>");
      for (Comparison c : comparisons) {
        SubjectBootstrap.Interval i = c.metrics().get(metric);
        String text = cell(metric, i);
        b.append(i.excludesZero() ? "<td><b>" + text + "</b></td>" : "<td>" + text + "</td>");
      }
      b.append("</tr>\n");
    }
    return b.append("</table>\n").toString();
  }

  /** How {@code metric} is headed in tables ("S_l", "repeated pts", ...). */
  static String label(String metric) {
    return LABELS.get(metric);
  }

  /** "+4.8 [+2.1, +7.5] *": length error in hundredths, the rest in tenths. */
  static String cell(String metric, SubjectBootstrap.Interval i) {
    String f = metric.equals("length_error") ? "%+.2f" : "%+.1f";
    return String.format(Locale.ROOT, f + " [" + f + ", " + f + "]%s", i.estimate(), i.low(), i.high(),
        i.excludesZero() ? " *" : "");
  }
}
