package dev.longdpo.testbed.metrics;

import dev.longdpo.testbed.judge.AnswerJudge;
import dev.longdpo.testbed.judge.LengthTerm;
import dev.longdpo.testbed.judge.QualityDimension;
import dev.longdpo.testbed.task.LengthBuckets;
import dev.longdpo.protocol.text.Words;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every evaluation score of a set of samples: S_l and S_q by length bucket and their unweighted
 * average over buckets (as the paper's tables), CR / STIC-1 / STIC-2 on sectioned tasks, and the
 * judge-free metrics.
 *
 * @param sl S_l per bucket label, plus "avg"
 * @param sq S_q per bucket label, plus "avg"
 * @param sqDimensions S_q's six dimensions (0–100), each the unweighted mean over buckets as "avg"
 * @param sections CR, STIC-1, STIC-2
 * @param judgeFree the judge-free metrics over all samples
 * @param perSample S_l, S_q and word count of each sample, in input order
 */
public record EvalScores(
    Map<String, Double> sl,
    Map<String, Double> sq,
    Map<QualityDimension, Double> sqDimensions,
    SectionMetrics.Summary sections,
    JudgeFreeMetrics.Summary judgeFree,
    List<PerSample> perSample) {

  /**
   * One sample's scores, with what the headline metrics need to be recomputed on any subset of
   * samples ({@link Headline}).
   *
   * @param subject what the task is about ("" for a prompt without a testbed topic)
   * @param bucket its length bucket, or "sectioned"
   * @param sqScore its own S_q (the bucket's S_q is the mean of its samples')
   * @param sections its LongGenBench counts, for a sectioned task
   * @param free its judge-free counts
   */
  public record PerSample(
      String taskId, String subject, String bucket, int requiredLength, int outputWords, double sl, double sqScore,
      java.util.Optional<SectionMetrics.Counts> sections, JudgeFreeMetrics.Counts free) {}

  /** Scores plain tasks by bucket and sectioned tasks by LongGenBench's metrics. */
  public static EvalScores of(List<Sample> samples, LengthBuckets buckets) {
    AnswerJudge judge = new AnswerJudge();
    Map<String, List<Double>> slByBucket = new LinkedHashMap<>();
    Map<String, List<Map<QualityDimension, Double>>> sqByBucket = new LinkedHashMap<>();
    for (String label : buckets.labels()) {
      slByBucket.put(label, new ArrayList<>());
      sqByBucket.put(label, new ArrayList<>());
    }
    List<SectionMetrics.Counts> sectionCounts = new ArrayList<>();
    List<JudgeFreeMetrics.Counts> free = new ArrayList<>();
    List<PerSample> per = new ArrayList<>();
    for (Sample s : samples) {
      int words = Words.count(s.output());
      double sl = LengthTerm.sl(s.task().length(), words);
      Map<QualityDimension, Double> dims = judge.score(s.task(), s.output());
      JudgeFreeMetrics.Counts freeCounts = JudgeFreeMetrics.count(s.task(), s.output());
      free.add(freeCounts);
      String bucket = buckets.labelOf(s.task().length());
      java.util.Optional<SectionMetrics.Counts> sectionCount = java.util.Optional.empty();
      if (s.task().sections().isPresent()) {
        sectionCount = java.util.Optional.of(SectionMetrics.count(s.task().sections().get(), s.output()));
        sectionCounts.add(sectionCount.get());
        bucket = "sectioned";
      } else {
        slByBucket.get(bucket).add(sl);
        sqByBucket.get(bucket).add(dims);
      }
      per.add(new PerSample(s.task().id(), s.task().topic().map(t -> t.subject()).orElse(""), bucket,
          s.task().length(), words, sl, QualityScore.sq(List.of(dims)), sectionCount, freeCounts));
    }
    Map<String, Double> sl = new LinkedHashMap<>();
    Map<String, Double> sq = new LinkedHashMap<>();
    Map<QualityDimension, Double> dimSums = new EnumMap<>(QualityDimension.class);
    double slSum = 0;
    double sqSum = 0;
    int filled = 0;
    for (String label : buckets.labels()) {
      List<Double> b = slByBucket.get(label);
      if (b.isEmpty()) {
        continue;
      }
      double meanSl = b.stream().mapToDouble(Double::doubleValue).average().orElse(0);
      double bucketSq = QualityScore.sq(sqByBucket.get(label));
      sl.put(label, meanSl);
      sq.put(label, bucketSq);
      slSum += meanSl;
      sqSum += bucketSq;
      QualityScore.dimensions(sqByBucket.get(label)).forEach((d, v) -> dimSums.merge(d, v, Double::sum));
      filled++;
    }
    Map<QualityDimension, Double> dims = new EnumMap<>(QualityDimension.class);
    for (QualityDimension d : QualityDimension.values()) {
      dims.put(d, filled == 0 ? 0 : dimSums.getOrDefault(d, 0.0) / filled);
    }
    sl.put("avg", filled == 0 ? 0 : slSum / filled);
    sq.put("avg", filled == 0 ? 0 : sqSum / filled);
    return new EvalScores(sl, sq, dims, SectionMetrics.summarize(sectionCounts), JudgeFreeMetrics.summarize(free), per);
  }
}
