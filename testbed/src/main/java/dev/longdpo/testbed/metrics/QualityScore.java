package dev.longdpo.testbed.metrics;

import dev.longdpo.testbed.judge.QualityDimension;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;

/**
 * LongWriter's S_q: per dimension, the mean 1–5 score over samples turned into {@code (mean − 1) ·
 * 25} (0–100), then the mean of the six dimensions.
 */
public final class QualityScore {

  private QualityScore() {}

  /** Per-dimension 0–100 scores of a set of samples' dimension scores. */
  public static Map<QualityDimension, Double> dimensions(Collection<Map<QualityDimension, Double>> samples) {
    Map<QualityDimension, Double> out = new EnumMap<>(QualityDimension.class);
    for (QualityDimension d : QualityDimension.values()) {
      double mean = samples.stream().mapToDouble(m -> m.getOrDefault(d, 3.0)).average().orElse(1);
      out.put(d, (mean - 1) * 25);
    }
    return out;
  }

  /** S_q of a set of samples (0–100). */
  public static double sq(Collection<Map<QualityDimension, Double>> samples) {
    if (samples.isEmpty()) {
      return 0;
    }
    return dimensions(samples).values().stream().mapToDouble(Double::doubleValue).average().orElse(0);
  }
}
