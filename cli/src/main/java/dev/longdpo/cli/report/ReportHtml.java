package dev.longdpo.cli.report;

import dev.longdpo.testbed.task.LengthBuckets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code report.html}: the table, the plots and what the run did, in one self-contained page. */
public final class ReportHtml {

  private ReportHtml() {}

  /**
   * @param notes lines of what the run did and measured, shown under the table
   * @param images the plots' file names, beside the page
   */
  public static String render(String title, LengthBuckets buckets, List<ReportRow> rows, DifferenceTable differences,
      List<String> notes, List<String> images) {
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
        .append("</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:1200px}"
            + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:4px 8px;text-align:right}"
            + "th:first-child,td:first-child{text-align:left}th{background:#eee}img{max-width:100%}</style></head><body>\n");
    b.append("<h1>").append(esc(title)).append("</h1>\n");
    List<String> cols = new java.util.ArrayList<>(buckets.labels());
    cols.add("avg");
    b.append("<h2>Length score S<sub>l</sub> and quality score S<sub>q</sub> (0&ndash;100) by required length (words)</h2>\n");
    b.append("<table><tr><th rowspan=2>model</th><th colspan=").append(cols.size()).append(">S_l</th><th colspan=")
        .append(cols.size()).append(">S_q</th></tr><tr>");
    for (int k = 0; k < 2; k++) {
      for (String c : cols) {
        b.append("<th>").append(esc(c)).append("</th>");
      }
    }
    b.append("</tr>\n");
    for (ReportRow r : rows) {
      b.append("<tr><td>").append(esc(r.model())).append(" <small>(").append(esc(r.record().checkpoint())).append(")</small></td>");
      cells(b, r.record().scores().sl(), cols);
      cells(b, r.record().scores().sq(), cols);
      b.append("</tr>\n");
    }
    b.append("</table>\n<h2>Sectioned tasks (LongGenBench) and judge-free metrics</h2>\n<table><tr><th>model</th>"
        + "<th>CR</th><th>STIC-1</th><th>STIC-2</th><th>repeated sentences %</th><th>off-topic %</th>"
        + "<th>contradictions %</th><th>section completion %</th><th>length error</th></tr>\n");
    for (ReportRow r : rows) {
      var s = r.record().scores().sections();
      var f = r.record().scores().judgeFree();
      b.append("<tr><td>").append(esc(r.model())).append("</td>");
      for (double v : new double[] {s.cr(), s.stic1(), s.stic2(), 100 * f.repeatedRate(), 100 * f.offTopicRate(),
          100 * f.contradictionRate(), 100 * f.sectionCompletion()}) {
        b.append(String.format(Locale.ROOT, "<td>%.1f</td>", v));
      }
      b.append(String.format(Locale.ROOT, "<td>%.2f</td></tr>\n", f.lengthError()));
    }
    b.append("</table>\n<h2>Differences</h2>\n<p>").append(esc(differences.caption()))
        .append(" (bold: the interval excludes 0)</p>\n").append(differences.html());
    b.append("<h2>The run</h2>\n<ul>\n");
    for (String n : notes) {
      b.append("<li>").append(esc(n)).append("</li>\n");
    }
    b.append("</ul>\n");
    for (String img : images) {
      b.append("<p><img src=\"").append(esc(img)).append("\" alt=\"").append(esc(img)).append("\"></p>\n");
    }
    b.append("</body></html>\n");
    return b.toString();
  }

  private static void cells(StringBuilder b, Map<String, Double> values, List<String> cols) {
    for (String c : cols) {
      Double v = values.get(c);
      b.append(v == null ? "<td>-</td>" : String.format(Locale.ROOT, "<td>%.1f</td>", v));
    }
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
