package dev.longdpo.testbed.judge;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * A judge's verdict on a step: the seven principle scores (1–5), their mean (quality), the length
 * term (0–10) and their sum (value, 1–15). Holds an array: copied in and out.
 */
public final class JudgeScore {

  private final double[] principles;
  private final double lengthTerm;

  /**
   * @param principles seven scores in {@link Principle} order, each in [1, 5]
   * @param lengthTerm 0–10
   */
  public JudgeScore(double[] principles, double lengthTerm) {
    if (principles.length != Principle.values().length) {
      throw new IllegalArgumentException("one score per principle");
    }
    this.principles = principles.clone();
    this.lengthTerm = lengthTerm;
  }

  /** The score of one principle. */
  public double score(Principle p) {
    return principles[p.ordinal()];
  }

  /** All seven scores, in {@link Principle} order. */
  public double[] principles() {
    return principles.clone();
  }

  /** Scores by principle. */
  public Map<Principle, Double> byPrinciple() {
    Map<Principle, Double> m = new EnumMap<>(Principle.class);
    for (Principle p : Principle.values()) {
      m.put(p, principles[p.ordinal()]);
    }
    return m;
  }

  /** Mean of the seven principles, 1–5. */
  public double quality() {
    return Arrays.stream(principles).average().orElse(1);
  }

  /** The length term, 0–10. */
  public double lengthTerm() {
    return lengthTerm;
  }

  /** Quality plus length term: the node value the search maximizes. */
  public double value() {
    return quality() + lengthTerm;
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "JudgeScore[q=%.2f len=%.2f %s]", quality(), lengthTerm, Arrays.toString(principles));
  }
}
