package dev.longdpo.gpuworker.dpo;

import dev.longdpo.protocol.pairs.PreferencePair;

/**
 * How much each pair of a micro-batch counts in its loss. The loss is the weighted mean
 * {@code Σ w·l / Σ w}, so weights shift the batch's attention between pairs and leave its scale
 * alone. A pair's weight is the product of two factors:
 *
 * <ul>
 *   <li>{@code n^−promptExponent}, where {@code n} is the number of pairs its prompt yielded.
 *       Exponent 0 counts every pair once, as the paper does: a long answer's dozen steps then
 *       outvote a short answer's one or two, and what long answers teach reaches short answers
 *       too, since a tiny model barely reads the required length. Exponent 1 counts every prompt
 *       once, which swings the other way. Pairs whose prompt count is unknown (v1 logs of
 *       unfinished prompts) get factor 1.
 *   <li>{@code stopWeight} for a "stop here" pair (the chosen step ends the answer, the rejected
 *       one goes on), 1 for every other pair. Which of "go on" and "stop here" is the majority
 *       depends on the base (one that stops short yields more "go on" pairs, one that runs long
 *       more "stop here"), and a model that cannot tell a short target from a long one learns the
 *       majority's lesson everywhere.
 * </ul>
 *
 * @param promptExponent in [0, 1]
 * @param stopWeight positive
 */
public record PairWeighting(double promptExponent, double stopWeight) {

  /** Every pair counts once. */
  public static final PairWeighting PER_PAIR = new PairWeighting(0, 1);

  /** Validates both factors. */
  public PairWeighting {
    if (!(promptExponent >= 0 && promptExponent <= 1)) {
      throw new IllegalArgumentException("pair weighting exponent must be in [0, 1], not " + promptExponent);
    }
    if (!(stopWeight > 0) || Double.isInfinite(stopWeight)) {
      throw new IllegalArgumentException("stop-pair weight must be positive and finite, not " + stopWeight);
    }
  }

  /** The weight of {@code p}. */
  public double weight(PreferencePair p) {
    double byPrompt =
        promptExponent == 0 || p.promptPairs() <= 0 ? 1.0 : Math.pow(p.promptPairs(), -promptExponent);
    return isStopPair(p) ? byPrompt * stopWeight : byPrompt;
  }

  /** The chosen step ends the answer and the rejected one goes on. */
  static boolean isStopPair(PreferencePair p) {
    return p.chosen().endsAnswer() && !p.rejected().endsAnswer();
  }
}
