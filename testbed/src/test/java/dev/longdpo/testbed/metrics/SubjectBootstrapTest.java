package dev.longdpo.testbed.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.longdpo.testbed.corpus.AnswerWriter;
import dev.longdpo.testbed.corpus.FlawRates;
import dev.longdpo.testbed.task.LengthBuckets;
import dev.longdpo.testbed.task.TaskGenerator;
import dev.longdpo.testbed.task.WritingTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SubjectBootstrapTest {

  /** Headline recomputes EvalScores' numbers from the per-sample records alone. */
  @Test
  void headlineOfAllSamplesIsTheEvaluatorsScore() {
    List<WritingTask> tasks = new TaskGenerator(5).generate(60, 12);
    AnswerWriter writer = new AnswerWriter(new FlawRates(0.1, 0.1, 0.1, 0.2, 0.2, 0.2, 0.2, 0.1, 0.2));
    Random r = new Random(3);
    List<Sample> samples = new ArrayList<>();
    for (WritingTask t : tasks) {
      samples.add(new Sample(t, writer.write(t, r).text(), true));
    }
    EvalScores scores = EvalScores.of(samples, LengthBuckets.TESTBED);

    Map<String, Double> h = Headline.of(scores.perSample());

    assertThat(h).containsOnlyKeys(Headline.METRICS);
    assertThat(h.get("S_l")).isCloseTo(scores.sl().get("avg"), within(1e-9));
    assertThat(h.get("S_q")).isCloseTo(scores.sq().get("avg"), within(1e-9));
    assertThat(h.get("CR")).isCloseTo(scores.sections().cr(), within(1e-9));
    assertThat(h.get("STIC1")).isCloseTo(scores.sections().stic1(), within(1e-9));
    assertThat(h.get("STIC2")).isCloseTo(scores.sections().stic2(), within(1e-9));
    assertThat(h.get("repeated")).isCloseTo(100 * scores.judgeFree().repeatedRate(), within(1e-9));
    assertThat(h.get("off_topic")).isCloseTo(100 * scores.judgeFree().offTopicRate(), within(1e-9));
    assertThat(h.get("contradictions")).isCloseTo(100 * scores.judgeFree().contradictionRate(), within(1e-9));
    assertThat(h.get("length_error")).isCloseTo(scores.judgeFree().lengthError(), within(1e-9));
    // The flaws planted above show in the metrics, so the comparison is not between zeros.
    assertThat(h.get("repeated")).isPositive();
    assertThat(h.get("STIC2")).isBetween(1.0, 99.9);
    assertThat(h.get("S_l")).isBetween(1.0, 99.9);
    assertThat(scores.perSample().get(0).subject()).isEqualTo(tasks.get(0).topic().orElseThrow().subject());
  }

  @Test
  void aShiftOfEveryTaskIsAnIntervalThatExcludesZeroAndHoldsTheShift() {
    Random r = new Random(1);
    List<EvalScores.PerSample> base = new ArrayList<>();
    List<EvalScores.PerSample> better = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      double sl = 40 + 20 * r.nextDouble();
      base.add(sample("t" + i, "s" + i % 10, sl));
      better.add(sample("t" + i, "s" + i % 10, sl + 5 + r.nextGaussian()));
    }

    SubjectBootstrap.Interval d = SubjectBootstrap.difference(better, base, 1000, 1).get("S_l");

    assertThat(d.excludesZero()).isTrue();
    assertThat(d.low()).isLessThan(d.estimate()).isGreaterThan(4);
    assertThat(d.high()).isGreaterThan(d.estimate()).isLessThan(6);
    assertThat(d.estimate()).isCloseTo(5, within(0.3));
  }

  /**
   * Ten subjects whose tasks move together: seven gain 6 points, three lose 10. Resampled by task
   * the gain of 1.2 looks certain; resampled by subject it is not, which is why the report
   * resamples subjects.
   */
  @Test
  void tasksOfOneSubjectMovingTogetherWidenTheIntervalPastZero() {
    List<EvalScores.PerSample> base = new ArrayList<>();
    List<EvalScores.PerSample> other = new ArrayList<>();
    List<EvalScores.PerSample> baseUnclustered = new ArrayList<>();
    List<EvalScores.PerSample> otherUnclustered = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      int subject = i % 10;
      double gain = subject < 7 ? 6 : -10;
      base.add(sample("t" + i, "s" + subject, 50));
      other.add(sample("t" + i, "s" + subject, 50 + gain));
      baseUnclustered.add(sample("t" + i, "", 50));
      otherUnclustered.add(sample("t" + i, "", 50 + gain));
    }

    SubjectBootstrap.Interval bySubject = SubjectBootstrap.difference(other, base, 2000, 1).get("S_l");
    SubjectBootstrap.Interval byTask = SubjectBootstrap.difference(otherUnclustered, baseUnclustered, 2000, 1).get("S_l");

    assertThat(bySubject.estimate()).isCloseTo(1.2, within(1e-9)).isEqualTo(byTask.estimate());
    assertThat(byTask.excludesZero()).isTrue();
    assertThat(bySubject.excludesZero()).isFalse();
    assertThat(SubjectBootstrap.subjects(base)).isEqualTo(10);
    assertThat(SubjectBootstrap.subjects(baseUnclustered)).isEqualTo(300);
  }

  @Test
  void theSameSeedGivesTheSameIntervalsAndUnpairedSamplesAreRefused() {
    List<EvalScores.PerSample> a = new ArrayList<>();
    List<EvalScores.PerSample> b = new ArrayList<>();
    Random r = new Random(2);
    for (int i = 0; i < 50; i++) {
      a.add(sample("t" + i, "s" + i % 7, 100 * r.nextDouble()));
      b.add(sample("t" + i, "s" + i % 7, 100 * r.nextDouble()));
    }
    assertThat(SubjectBootstrap.difference(a, b, 300, 9)).isEqualTo(SubjectBootstrap.difference(a, b, 300, 9));
    assertThat(SubjectBootstrap.of(a, 300, 9).get("S_l").estimate()).isEqualTo(Headline.of(a).get("S_l"));

    List<EvalScores.PerSample> shuffled = new ArrayList<>(b);
    java.util.Collections.swap(shuffled, 0, 1);
    assertThatThrownBy(() -> SubjectBootstrap.difference(a, shuffled, 10, 1))
        .hasMessage("paired samples: task 0 is 't0' against 't1'");
    assertThatThrownBy(() -> SubjectBootstrap.difference(a, b.subList(0, 3), 10, 1))
        .hasMessage("paired samples: 50 against 3 tasks");
  }

  private static EvalScores.PerSample sample(String id, String subject, double sl) {
    return new EvalScores.PerSample(id, subject, "0-50", 40, 40, sl, 50, Optional.empty(),
        new JudgeFreeMetrics.Counts(10, 0, 0, 0, false, 0, 0.1));
  }
}
