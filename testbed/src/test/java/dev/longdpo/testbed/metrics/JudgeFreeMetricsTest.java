package dev.longdpo.testbed.metrics;

import dev.longdpo.testbed.TestTasks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.longdpo.testbed.task.WritingTask;
import java.util.List;
import org.junit.jupiter.api.Test;

class JudgeFreeMetricsTest {

  @Test
  void countsEachFlawFromTheTextAlone() {
    WritingTask task = TestTasks.cityTask(40);
    String s = task.topic().get().subject();
    String other = TestTasks.city(1);
    String export = task.topic().get().facts().get("export");
    String wrongYear = task.topic().get().facts().get("founded").equals("1210") ? "1217" : "1210";
    String text = s + " is a city with a long history. The main export of " + s + " is " + export + ".\n\n"
        + "The main export of " + other + " is salt. " + s + " was founded in " + wrongYear + ". "
        + "The main export of " + s + " is " + export + ".";
    JudgeFreeMetrics.Counts c = JudgeFreeMetrics.count(task, text);
    assertThat(c.sentences()).isEqualTo(5);
    assertThat(c.repeated()).isEqualTo(1);
    assertThat(c.offTopic()).isEqualTo(1);
    assertThat(c.contradictions()).isEqualTo(1);
    assertThat(c.lengthError()).isCloseTo(Math.abs(words(text) / 40.0 - 1), within(1e-9));
    JudgeFreeMetrics.Summary sum = JudgeFreeMetrics.summarize(List.of(c, JudgeFreeMetrics.count(task, s + " is an old city full of life.")));
    assertThat(sum.repeatedRate()).isCloseTo(1 / 6.0, within(1e-9));
    assertThat(sum.offTopicRate()).isCloseTo(1 / 6.0, within(1e-9));
  }

  private static int words(String text) {
    return dev.longdpo.protocol.text.Words.count(text);
  }

  @Test
  void factValuesThatAreNamesAreNotOffTopic() {
    WritingTask task = TestTasks.cityTask(40);
    String s = task.topic().get().subject();
    String river = task.topic().get().facts().get("river");
    JudgeFreeMetrics.Counts c = JudgeFreeMetrics.count(task, s + " lies on the banks of the river " + river + ".");
    assertThat(c.offTopic()).isZero();
    assertThat(c.contradictions()).isZero();
  }
}
