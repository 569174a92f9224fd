package dev.longdpo.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longdpo.testbed.metrics.Headline;
import dev.longdpo.testbed.metrics.SubjectBootstrap;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DifferenceTableTest {

  @Test
  void eachCellIsTheDifferenceAndItsIntervalStarredWhereTheIntervalExcludesZero() {
    assertThat(DifferenceTable.cell("S_l", new SubjectBootstrap.Interval(4.83, 2.14, 7.46))).isEqualTo("+4.8 [+2.1, +7.5] *");
    assertThat(DifferenceTable.cell("S_q", new SubjectBootstrap.Interval(0.4, -0.3, 1.1))).isEqualTo("+0.4 [-0.3, +1.1]");
    assertThat(DifferenceTable.cell("length_error", new SubjectBootstrap.Interval(-0.614, -0.7, -0.52)))
        .isEqualTo("-0.61 [-0.70, -0.52] *");
  }

  @Test
  void theTablePrintsEveryMetricForEveryComparison() {
    Map<String, SubjectBootstrap.Interval> m = new LinkedHashMap<>();
    for (String k : Headline.METRICS) {
      m.put(k, new SubjectBootstrap.Interval(1, 0.5, 1.5));
    }
    DifferenceTable t = new DifferenceTable(java.util.List.of(new Comparison("longdpo", "base", 17, m),
        new Comparison("longdpo", "dpo", 17, m)));
    StringWriter out = new StringWriter();
    t.print(new PrintWriter(out));

    String text = out.toString();
    assertThat(text).contains("2000 resamples of the 17 subjects").contains("longdpo - base").contains("longdpo - dpo");
    assertThat(text.lines().filter(l -> l.contains("+1.0 [+0.5, +1.5] *"))).hasSize(Headline.METRICS.size() - 1);
    assertThat(text).contains("length error         +1.00 [+0.50, +1.50] *");
    assertThat(t.html()).contains("<td><b>+1.0 [+0.5, +1.5] *</b></td>");
  }
}
