package dev.longdpo.model.train;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * The gradient norms of the last steps, to tell a spoiled backward pass from a real one. A
 * spoiled pass (docs/reproducibility.md) has come out with norms of 1e10 to 1e13 where the steps
 * around it had 0.5; no genuine step of this project's training came within a factor of 20 of
 * its recent median after warm-up. A norm above {@link #FACTOR} times the median of the last
 * {@link #WINDOW} is an outlier and worth computing again (a genuine one comes out the same).
 */
final class NormHistory {

  static final int WINDOW = 32;
  static final int MIN_HISTORY = 8;
  static final double FACTOR = 100;

  private final Deque<Double> recent = new ArrayDeque<>();

  void add(double norm) {
    recent.addLast(norm);
    if (recent.size() > WINDOW) {
      recent.removeFirst();
    }
  }

  boolean isOutlier(double norm) {
    if (recent.size() < MIN_HISTORY) {
      return false;
    }
    double[] sorted = recent.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double median = sorted[sorted.length / 2];
    return norm > FACTOR * median;
  }

  /** The norms held, oldest first (saved with a checkpoint, so a resumed run judges alike). */
  double[] values() {
    return recent.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Replaces the history with {@code values} (oldest first), as saved by {@link #values()}. */
  void restore(double[] values) {
    recent.clear();
    for (double v : values) {
      add(v);
    }
  }

  @Override
  public String toString() {
    return Arrays.toString(recent.toArray());
  }
}
