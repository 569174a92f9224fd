package dev.longdpo.cli.report;

import dev.longdpo.actors.evaluator.EvalRecord;
import dev.longdpo.testbed.task.LengthBuckets;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The paper's kind of table, as text: one row per evaluated model; S_l and S_q per length bucket
 * and their unweighted average; then CR, STIC-1, STIC-2 and the judge-free metrics.
 */
public final class ResultTable {

  private final LengthBuckets buckets;
  private final List<EvalRecord> rows;

  /** A table of {@code rows} in the given order. */
  public ResultTable(LengthBuckets buckets, List<EvalRecord> rows) {
    this.buckets = buckets;
    this.rows = List.copyOf(rows);
  }

  /** Prints the table. */
  public void print(PrintWriter out) {
    List<String> columns = new ArrayList<>(buckets.labels());
    columns.add("avg");
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-22s", "model"));
    for (String c : columns) {
      header.append(String.format(Locale.ROOT, " %8s", c));
    }
    out.println("Length score S_l (0-100, by required length in words)");
    out.println(header);
    for (EvalRecord r : rows) {
      out.println(line(r.checkpoint(), r.scores().sl(), columns));
    }
    out.println();
    out.println("Quality score S_q (0-100)");
    out.println(header);
    for (EvalRecord r : rows) {
      out.println(line(r.checkpoint(), r.scores().sq(), columns));
    }
    out.println();
    out.println("Sectioned tasks (LongGenBench, %) and judge-free metrics (% of sentences; length error |words/required - 1|)");
    out.println(String.format(Locale.ROOT, "%-22s %6s %6s %6s %9s %9s %9s %9s %8s", "model", "CR", "STIC1", "STIC2",
        "repeated", "offtopic", "contradic", "sections", "len.err"));
    for (EvalRecord r : rows) {
      var s = r.scores().sections();
      var f = r.scores().judgeFree();
      out.println(String.format(Locale.ROOT, "%-22s %6.1f %6.1f %6.1f %9.1f %9.1f %9.1f %9.1f %8.2f", r.checkpoint(),
          s.cr(), s.stic1(), s.stic2(), 100 * f.repeatedRate(), 100 * f.offTopicRate(), 100 * f.contradictionRate(),
          100 * f.sectionCompletion(), f.lengthError()));
    }
    out.flush();
  }

  private static String line(String name, Map<String, Double> values, List<String> columns) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-22s", name));
    for (String c : columns) {
      Double v = values.get(c);
      b.append(v == null ? String.format(Locale.ROOT, " %8s", "-") : String.format(Locale.ROOT, " %8.1f", v));
    }
    return b.toString();
  }
}
