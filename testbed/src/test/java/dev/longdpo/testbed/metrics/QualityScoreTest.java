package dev.longdpo.testbed.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.longdpo.testbed.judge.QualityDimension;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QualityScoreTest {

  private static Map<QualityDimension, Double> all(double v) {
    Map<QualityDimension, Double> m = new EnumMap<>(QualityDimension.class);
    for (QualityDimension d : QualityDimension.values()) {
      m.put(d, v);
    }
    return m;
  }

  @Test
  void perDimensionMeanThenRescaleThenAverage() {
    assertThat(QualityScore.sq(List.of(all(5)))).isCloseTo(100, within(1e-9));
    assertThat(QualityScore.sq(List.of(all(1)))).isCloseTo(0, within(1e-9));
    Map<QualityDimension, Double> a = all(4);
    a.put(QualityDimension.ACCURACY, 2.0);
    Map<QualityDimension, Double> b = all(2);
    // Means: five dimensions at 3 → 50 each; accuracy (2 + 2) / 2 = 2 → 25. S_q = (5·50 + 25) / 6.
    assertThat(QualityScore.dimensions(List.of(a, b)).get(QualityDimension.ACCURACY)).isCloseTo(25, within(1e-9));
    assertThat(QualityScore.sq(List.of(a, b))).isCloseTo((5 * 50 + 25) / 6.0, within(1e-9));
  }

  @Test
  void noSamplesScoreZero() {
    assertThat(QualityScore.sq(List.of())).isZero();
  }
}
