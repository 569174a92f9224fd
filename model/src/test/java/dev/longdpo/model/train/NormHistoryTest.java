package dev.longdpo.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NormHistoryTest {

  @Test
  void onlyAFarOutlierAfterEnoughHistoryCounts() {
    NormHistory h = new NormHistory();
    for (int i = 0; i < NormHistory.MIN_HISTORY - 1; i++) {
      h.add(0.5);
    }
    assertThat(h.isOutlier(1e12)).as("too little history").isFalse();
    h.add(0.5);
    assertThat(h.isOutlier(1e12)).isTrue();
    assertThat(h.isOutlier(6.6e11)).isTrue();
    assertThat(h.isOutlier(40)).as("80 x the median: a spike, not a spoiled pass").isFalse();
    assertThat(h.isOutlier(Double.POSITIVE_INFINITY)).isTrue();
  }
}
