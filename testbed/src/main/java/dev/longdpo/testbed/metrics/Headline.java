package dev.longdpo.testbed.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's headline metrics of a set of samples, recomputed from their {@link
 * EvalScores.PerSample} records alone, so that any subset or resample of them can be scored
 * ({@link SubjectBootstrap}). On the whole set they equal {@link EvalScores}'s values.
 *
 * <p>Units as the report prints them: S_l, S_q, CR, STIC-1, STIC-2 on 0–100; the three sentence
 * rates in percent of sentences; length error as |words / required − 1|.
 */
public final class Headline {

  /** The metrics, in the report's order. */
  public static final List<String> METRICS =
      List.of("S_l", "S_q", "CR", "STIC1", "STIC2", "repeated", "off_topic", "contradictions", "length_error");

  private Headline() {}

  /** Every metric of {@link #METRICS} over {@code samples}. */
  public static Map<String, Double> of(List<EvalScores.PerSample> samples) {
    // S_l and S_q: mean per length bucket of plain tasks, then the unweighted mean over the
    // buckets that hold tasks (S_q of a bucket is the mean of its samples' S_q, see QualityScore).
    Map<String, double[]> byBucket = new LinkedHashMap<>(); // bucket -> {sum S_l, sum S_q, count}
    List<SectionMetrics.Counts> sections = new ArrayList<>();
    List<JudgeFreeMetrics.Counts> free = new ArrayList<>(samples.size());
    for (EvalScores.PerSample s : samples) {
      free.add(s.free());
      if (s.sections().isPresent()) {
        sections.add(s.sections().get());
        continue;
      }
      double[] b = byBucket.computeIfAbsent(s.bucket(), k -> new double[3]);
      b[0] += s.sl();
      b[1] += s.sqScore();
      b[2]++;
    }
    double sl = 0;
    double sq = 0;
    for (double[] b : byBucket.values()) {
      sl += b[0] / b[2];
      sq += b[1] / b[2];
    }
    int buckets = byBucket.size();
    SectionMetrics.Summary sec = SectionMetrics.summarize(sections);
    JudgeFreeMetrics.Summary f = JudgeFreeMetrics.summarize(free);
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("S_l", buckets == 0 ? 0 : sl / buckets);
    m.put("S_q", buckets == 0 ? 0 : sq / buckets);
    m.put("CR", sec.cr());
    m.put("STIC1", sec.stic1());
    m.put("STIC2", sec.stic2());
    m.put("repeated", 100 * f.repeatedRate());
    m.put("off_topic", 100 * f.offTopicRate());
    m.put("contradictions", 100 * f.contradictionRate());
    m.put("length_error", f.lengthError());
    return m;
  }
}
