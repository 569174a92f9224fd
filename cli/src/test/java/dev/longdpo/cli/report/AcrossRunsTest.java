package dev.longdpo.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longdpo.testbed.metrics.Headline;
import dev.longdpo.testbed.metrics.SubjectBootstrap;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AcrossRunsTest {

  @Test
  void betterOnlyWhereEveryRunsIntervalExcludesZeroWithOneSign() {
    AcrossRuns runs = new AcrossRuns(List.of(
        run("seed 1", 1, Map.of("S_l", i(4.8, 2.0, 7.5), "S_q", i(1.2, 0.3, 2.0), "CR", i(2, 1, 3),
            "length_error", i(-0.6, -0.8, -0.4), "repeated", i(-1, -2, -0.5))),
        run("seed 2", 2, Map.of("S_l", i(3.1, 0.4, 6.0), "S_q", i(0.5, -0.2, 1.1), "CR", i(-2, -3, -1),
            "length_error", i(-0.5, -0.7, -0.3), "repeated", i(1, 0.5, 2))),
        run("seed 1 #2", 1, Map.of("S_l", i(5.3, 2.5, 8.0), "S_q", i(1.0, 0.2, 1.9), "CR", i(2, 1, 3),
            "length_error", i(-0.62, -0.8, -0.4), "repeated", i(-1, -2, -0.5)))));

    assertThat(runs.verdict("S_l")).isEqualTo(AcrossRuns.Verdict.BETTER);
    assertThat(runs.verdict("S_q")).as("seed 2's interval holds 0").isEqualTo(AcrossRuns.Verdict.NOT_SHOWN);
    assertThat(runs.verdict("CR")).as("the sign flips").isEqualTo(AcrossRuns.Verdict.NOT_SHOWN);
    assertThat(runs.verdict("length_error")).as("lower is better").isEqualTo(AcrossRuns.Verdict.BETTER);
    assertThat(runs.verdict("repeated")).isEqualTo(AcrossRuns.Verdict.NOT_SHOWN);
    assertThat(runs.rerunSpread("S_l")).isEqualTo(0.5, org.assertj.core.data.Offset.offset(1e-9));

    AcrossRuns worse = new AcrossRuns(List.of(run("seed 1", 1, Map.of("S_l", i(-3, -5, -1), "length_error", i(0.2, 0.1, 0.3)))));
    assertThat(worse.verdict("S_l")).isEqualTo(AcrossRuns.Verdict.WORSE);
    assertThat(worse.verdict("length_error")).isEqualTo(AcrossRuns.Verdict.WORSE);
    assertThat(worse.rerunSpread("S_l")).isNaN();

    StringWriter out = new StringWriter();
    runs.print(new PrintWriter(out));
    assertThat(out.toString()).contains("seed 1 #2").containsPattern("S_l +\\+4\\.8 \\[\\+2\\.0, \\+7\\.5\\] \\*.* better +0\\.5");
  }

  private static AcrossRuns.Run run(String label, long seed, Map<String, SubjectBootstrap.Interval> given) {
    Map<String, SubjectBootstrap.Interval> m = new LinkedHashMap<>();
    for (String k : Headline.METRICS) {
      m.put(k, given.getOrDefault(k, i(0, -1, 1)));
    }
    return new AcrossRuns.Run(label, seed, new Comparison("longdpo", "base", 17, m));
  }

  private static SubjectBootstrap.Interval i(double estimate, double low, double high) {
    return new SubjectBootstrap.Interval(estimate, low, high);
  }
}
