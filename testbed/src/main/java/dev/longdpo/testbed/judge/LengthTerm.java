package dev.longdpo.testbed.judge;

/**
 * Length scores. {@link #sl} is LongWriter's S_l (0–100): running long is penalized by /3, falling
 * short by /2. {@link #stepTerm} is LongDPO's step reward (0–10), the same formula with the
 * branches swapped, so a partial response that is still short is treated leniently.
 */
public final class LengthTerm {

  private LengthTerm() {}

  /**
   * LongWriter's S_l for an output of {@code words} words against {@code required}.
   *
   * @throws IllegalArgumentException if {@code required <= 0}
   * @return 0 for an empty output
   */
  public static double sl(int required, int words) {
    if (required <= 0) {
      throw new IllegalArgumentException("required length " + required + " must be > 0");
    }
    if (words <= 0) {
      return 0;
    }
    double l = required;
    double lp = words;
    if (lp > l) {
      return 100 * Math.max(0, 1 - (lp / l - 1) / 3);
    }
    return 100 * Math.max(0, 1 - (l / lp - 1) / 2);
  }

  /**
   * LongDPO's length term for a step (method.md §2.4), on the quality scale's 0–10, counting the
   * response's words only (the official code also counts the instruction's: a quirk we drop).
   */
  public static double stepTerm(int required, int words) {
    if (required <= 0) {
      throw new IllegalArgumentException("required length " + required + " must be > 0");
    }
    if (words <= 0) {
      return 0;
    }
    double l = required;
    double len = words;
    if (l > len) {
      return 10 * Math.max(0, 1 - (l / len - 1) / 3);
    }
    return 10 * Math.max(0, 1 - (len / l - 1) / 2);
  }
}
