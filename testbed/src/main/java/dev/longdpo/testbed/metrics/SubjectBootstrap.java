package dev.longdpo.testbed.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * 95% bootstrap intervals of the {@link Headline} metrics that resample subjects, not tasks: the
 * tasks about one subject share its facts and names, so they are not independent draws, and
 * resampling them one by one would give intervals too narrow. Each resample draws as many
 * subjects as there are, with replacement, and takes every task of each drawn subject (a prompt
 * without a subject is a subject of its own). Percentile intervals; the same seed gives the same
 * bits.
 */
public final class SubjectBootstrap {

  /** Resamples of the report: the 2.5% and 97.5% points move by well under 0.1 between seeds. */
  public static final int RESAMPLES = 2000;

  /** The report's fixed seed, so a report read twice gives the same intervals. */
  public static final long SEED = 1;

  /**
   * An estimate on all samples and its interval.
   *
   * @param estimate the metric (or difference) on all samples
   * @param low the 2.5th percentile over resamples
   * @param high the 97.5th percentile over resamples
   */
  public record Interval(double estimate, double low, double high) {

    /** Whether 0 lies outside the interval (the difference has a sign). */
    public boolean excludesZero() {
      return low > 0 || high < 0;
    }
  }

  private final List<int[]> clusters; // sample indices of each subject
  private final int resamples;
  private final long seed;

  private SubjectBootstrap(List<EvalScores.PerSample> samples, int resamples, long seed) {
    Map<String, List<Integer>> bySubject = new LinkedHashMap<>();
    for (int i = 0; i < samples.size(); i++) {
      EvalScores.PerSample s = samples.get(i);
      String key = s.subject().isEmpty() ? "task:" + s.taskId() : s.subject();
      bySubject.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
    }
    this.clusters = bySubject.values().stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toList();
    this.resamples = resamples;
    this.seed = seed;
  }

  /** The subjects (clusters) the samples are about. */
  public static int subjects(List<EvalScores.PerSample> samples) {
    return new SubjectBootstrap(samples, 1, 0).clusters.size();
  }

  /** Intervals of each metric of one model's samples. */
  public static Map<String, Interval> of(List<EvalScores.PerSample> samples, int resamples, long seed) {
    return new SubjectBootstrap(samples, resamples, seed).run(samples, null);
  }

  /**
   * Intervals of {@code a − b} for each metric, on the same tasks: both lists hold one sample per
   * task in the same order, and a resample takes the same tasks from both (a paired bootstrap).
   *
   * @throws IllegalArgumentException if the two lists are not about the same tasks in order
   */
  public static Map<String, Interval> difference(
      List<EvalScores.PerSample> a, List<EvalScores.PerSample> b, int resamples, long seed) {
    if (a.size() != b.size()) {
      throw new IllegalArgumentException("paired samples: " + a.size() + " against " + b.size() + " tasks");
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).taskId().equals(b.get(i).taskId())) {
        throw new IllegalArgumentException("paired samples: task " + i + " is '" + a.get(i).taskId() + "' against '"
            + b.get(i).taskId() + "'");
      }
    }
    return new SubjectBootstrap(a, resamples, seed).run(a, b);
  }

  private Map<String, Interval> run(List<EvalScores.PerSample> a, List<EvalScores.PerSample> b) {
    Map<String, Double> estimate = statistic(a, b);
    Map<String, double[]> draws = new LinkedHashMap<>();
    estimate.keySet().forEach(k -> draws.put(k, new double[resamples]));
    SplittableRandom random = new SplittableRandom(seed);
    List<EvalScores.PerSample> ra = new ArrayList<>(a.size());
    List<EvalScores.PerSample> rb = new ArrayList<>(a.size());
    for (int r = 0; r < resamples; r++) {
      ra.clear();
      rb.clear();
      for (int c = 0; c < clusters.size(); c++) {
        for (int i : clusters.get(random.nextInt(clusters.size()))) {
          ra.add(a.get(i));
          if (b != null) {
            rb.add(b.get(i));
          }
        }
      }
      Map<String, Double> value = statistic(ra, b == null ? null : rb);
      for (Map.Entry<String, Double> e : value.entrySet()) {
        draws.get(e.getKey())[r] = e.getValue();
      }
    }
    Map<String, Interval> out = new LinkedHashMap<>();
    for (Map.Entry<String, Double> e : estimate.entrySet()) {
      double[] d = draws.get(e.getKey());
      Arrays.sort(d);
      out.put(e.getKey(), new Interval(e.getValue(), percentile(d, 0.025), percentile(d, 0.975)));
    }
    return out;
  }

  private static Map<String, Double> statistic(List<EvalScores.PerSample> a, List<EvalScores.PerSample> b) {
    Map<String, Double> va = Headline.of(a);
    if (b == null) {
      return va;
    }
    Map<String, Double> vb = Headline.of(b);
    Map<String, Double> diff = new LinkedHashMap<>();
    va.forEach((k, v) -> diff.put(k, v - vb.get(k)));
    return diff;
  }

  /** Linear interpolation between the order statistics around {@code q}. */
  private static double percentile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }
}
