package dev.longdpo.testbed.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.longdpo.testbed.judge.QualityDimension;
import dev.longdpo.testbed.task.InstructionType;
import dev.longdpo.testbed.task.LengthBuckets;
import dev.longdpo.testbed.task.SectionInstruction;
import dev.longdpo.testbed.task.SectionSpec;
import dev.longdpo.testbed.task.WritingTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.assertj.core.data.Offset;
import org.assertj.core.util.DoubleComparator;
import org.junit.jupiter.api.Test;

/**
 * The scores the evaluator reports ({@link EvalScores#of}): S_l and S_q per length bucket, their
 * unweighted mean over the buckets that hold tasks (the paper's "Avg" column), and sectioned tasks
 * scored by LongGenBench's metrics only. Tested here, beside the evaluator that reports them.
 *
 * <p>Every expectation is worked out by hand from method.md §4. The tasks are generic prompts (no
 * testbed topic), so the answer judge gives 3 on relevance, accuracy, coherence and breadth, and
 * measures only clarity (1 + 4 · well-formed sentences / sentences) and reading experience (5 − 8
 * · repeated sentences / sentences). Per dimension S_q is (mean − 1) · 25, so an answer of
 * distinct well-formed sentences scores (4 · 50 + 2 · 100) / 6 = 200/3.
 */
class EvalScoresTest {

  private static final Offset<Double> EPS = within(1e-9);

  /** S_q of a distinct, well-formed answer: clarity and reading experience 5, the rest 3. */
  private static final double GOOD_SQ = (4 * 50 + 2 * 100) / 6.0;

  @Test
  void averagesPerBucketThenOverTheBucketsThatHoldTasksLeavingSectionedTasksOut() {
    List<Sample> samples = List.of(
        // 0-50: S_l 100, 50 (half the words: 100 · (1 − (2 − 1)/2)), 100.
        sample(plain("a", 40), good(40)),
        sample(plain("b", 40), sloppy()),
        sample(plain("h", 30), good(30)),
        // 50-200: 160 words for 100 is 100 · (1 − 0.6/3) = 80; 20 for 50 is 100 · (1 − 1.5/2) = 25.
        sample(plain("c", 100), good(160)),
        sample(plain("f", 50), repeated()),
        // 200-400 stays empty.
        // 400-600: an empty answer scores 0; 700 words asked for falls in the last bucket, and
        // half of them score 50.
        sample(plain("d", 600), ""),
        sample(plain("e", 700), good(350)),
        // Sectioned, asked for 100 words: its S_l of 0 (8 words) would pull 50-200 down to 35.
        sample(sectioned("g", 100), "Week 1: We saw a parade in town today."));

    EvalScores scores = EvalScores.of(samples, LengthBuckets.TESTBED);

    double sl050 = (100 + 50 + 100) / 3.0;
    double sl50200 = (80 + 25) / 2.0;
    double sl400600 = (0 + 50) / 2.0;
    assertThat(scores.sl()).containsOnlyKeys("0-50", "50-200", "400-600", "avg");
    assertThat(scores.sl().get("0-50")).isCloseTo(sl050, EPS);
    assertThat(scores.sl().get("50-200")).isCloseTo(sl50200, EPS);
    assertThat(scores.sl().get("400-600")).isCloseTo(sl400600, EPS);
    // Over three buckets, not four (40.2 with the empty one as 0), and not pooled over the seven
    // plain samples (405 / 7 = 57.9).
    assertThat(scores.sl().get("avg")).isCloseTo((sl050 + sl50200 + sl400600) / 3, EPS);

    // S_q is linear in the dimension scores, so a bucket's S_q is its samples' mean: sloppy has
    // clarity 3 (one of its two sentences starts lower case), repeated has reading experience 1
    // and the empty answer 1 everywhere.
    double sloppySq = (5 * 50 + 100) / 6.0;
    double repeatedSq = (4 * 50 + 100 + 0) / 6.0;
    double sq050 = (GOOD_SQ + sloppySq + GOOD_SQ) / 3;
    double sq50200 = (GOOD_SQ + repeatedSq) / 2;
    double sq400600 = (0 + GOOD_SQ) / 2;
    assertThat(scores.sq()).containsOnlyKeys("0-50", "50-200", "400-600", "avg");
    assertThat(scores.sq().get("0-50")).isCloseTo(sq050, EPS);
    assertThat(scores.sq().get("50-200")).isCloseTo(sq50200, EPS);
    assertThat(scores.sq().get("400-600")).isCloseTo(sq400600, EPS);
    assertThat(scores.sq().get("avg")).isCloseTo(1400 / 27.0, EPS).isCloseTo((sq050 + sq50200 + sq400600) / 3, EPS);

    // Each dimension: per bucket (mean − 1) · 25, then the mean over the three buckets.
    // Clarity: 0-50 (5 + 3 + 5)/3 → 250/3; 50-200 5 → 100; 400-600 (1 + 5)/2 → 50.
    assertThat(scores.sqDimensions().get(QualityDimension.CLARITY)).isCloseTo((250 / 3.0 + 100 + 50) / 3, EPS);
    // Reading experience: 0-50 → 100; 50-200 (5 + 1)/2 → 50; 400-600 → 50.
    assertThat(scores.sqDimensions().get(QualityDimension.READING_EXPERIENCE)).isCloseTo(200 / 3.0, EPS);
    // Relevance: 3 for every non-empty answer → 50, 50, and (1 + 3)/2 → 25.
    assertThat(scores.sqDimensions().get(QualityDimension.RELEVANCE)).isCloseTo(125 / 3.0, EPS);

    // The sectioned task counts only in CR / STIC: one of two weeks written (CR 50); of the two
    // checks, the one on the written week holds (STIC-1 1/1, STIC-2 1/2).
    assertThat(scores.sections().samples()).isEqualTo(1);
    assertThat(scores.sections().cr()).isCloseTo(50, EPS);
    assertThat(scores.sections().stic1()).isCloseTo(100, EPS);
    assertThat(scores.sections().stic2()).isCloseTo(50, EPS);

    // Per sample, in input order, the sectioned one with its own S_l and bucket.
    assertThat(scores.perSample()).extracting(EvalScores.PerSample::taskId)
        .containsExactly("a", "b", "h", "c", "f", "d", "e", "g");
    assertThat(scores.perSample()).extracting(EvalScores.PerSample::bucket)
        .containsExactly("0-50", "0-50", "0-50", "50-200", "50-200", "400-600", "400-600", "sectioned");
    assertThat(scores.perSample()).extracting(EvalScores.PerSample::outputWords)
        .containsExactly(40, 20, 30, 160, 20, 0, 350, 8);
    assertThat(scores.perSample()).extracting(EvalScores.PerSample::sl)
        .usingComparatorForType(new DoubleComparator(1e-9), Double.class)
        .containsExactly(100.0, 50.0, 100.0, 80.0, 25.0, 0.0, 50.0, 0.0);
    assertThat(scores.perSample().get(1).sqScore()).isCloseTo(sloppySq, EPS);
    assertThat(scores.perSample().get(4).sqScore()).isCloseTo(repeatedSq, EPS);
  }

  @Test
  void onlySectionedTasksLeaveEveryAverageAtZero() {
    EvalScores scores = EvalScores.of(
        List.of(sample(sectioned("g", 100), "Week 1: We saw a parade in town today.")), LengthBuckets.TESTBED);

    assertThat(scores.sl()).containsOnlyKeys("avg").containsEntry("avg", 0.0);
    assertThat(scores.sq()).containsOnlyKeys("avg").containsEntry("avg", 0.0);
    assertThat(scores.sqDimensions().values()).containsOnly(0.0);
    assertThat(scores.sections().samples()).isEqualTo(1);
  }

  private static Sample sample(WritingTask task, String output) {
    return new Sample(task, output, true);
  }

  private static WritingTask plain(String id, int length) {
    return new WritingTask(id, "In about " + length + " words, write.", length, "plain", Optional.empty(),
        Optional.empty());
  }

  /** Two weeks; "a parade" is asked for in both. */
  private static WritingTask sectioned(String id, int length) {
    var parade = new SectionInstruction(InstructionType.RANGE, 1, 2, 1, "a parade");
    return new WritingTask(id, "Write a diary of two weeks.", length, "sectioned", Optional.empty(),
        Optional.of(new SectionSpec("Week", 2, List.of(parade))));
  }

  /**
   * {@code words} distinct words (letters only, so each counts once) in well-formed sentences of
   * at most ten: capitalised, ending in a full stop, no two sharing a word.
   */
  private static String good(int words) {
    List<String> sentences = new ArrayList<>();
    for (int start = 0; start < words; start += 10) {
      sentences.add(sentence(start, Math.min(10, words - start)));
    }
    return String.join(" ", sentences);
  }

  /** Two distinct ten-word sentences, the second starting lower case (not well formed). */
  private static String sloppy() {
    return sentence(0, 10) + " " + sentence(10, 10).toLowerCase(java.util.Locale.ROOT);
  }

  /** One ten-word sentence twice: the second is a repeat. */
  private static String repeated() {
    return sentence(0, 10) + " " + sentence(0, 10);
  }

  /** Words {@code from} .. {@code from + n − 1}, each a distinct run of letters, as a sentence. */
  private static String sentence(int from, int n) {
    StringBuilder b = new StringBuilder();
    for (int i = from; i < from + n; i++) {
      // Base 26 in letters, after a fixed "w": wa, wb, ..., wz, wba, ...
      StringBuilder w = new StringBuilder();
      int x = i;
      do {
        w.insert(0, (char) ('a' + x % 26));
        x /= 26;
      } while (x > 0);
      b.append(b.length() == 0 ? "W" : " w").append(w);
    }
    return b.append('.').toString();
  }
}
