package dev.longdpo.gpuworker.dpo;

import dev.longdpo.protocol.pairs.PreferencePair;

/**
 * How much each pair of a micro-batch counts in its loss: {@code n^−exponent}, where {@code n} is
 * the number of pairs its prompt yielded. The loss is the weighted mean {@code Σ w·l / Σ w}, so
 * weights shift the batch's attention between pairs and leave its scale alone.
 *
 * <p>Exponent 0 counts every pair once, as the paper does: a long answer's dozen steps then
 * outvote a short answer's one or two, and what long answers teach (go on, write longer
 * paragraphs) reaches short answers too, since a tiny model barely reads the required length.
 * Exponent 1 counts every prompt once, which swings the other way. Pairs whose prompt count is
 * unknown (v1 logs of unfinished prompts) weigh 1.
 *
 * @param exponent in [0, 1]
 */
public record PairWeighting(double exponent) {

  /** Every pair counts once. */
  public static final PairWeighting PER_PAIR = new PairWeighting(0);

  /** Validates the exponent. */
  public PairWeighting {
    if (!(exponent >= 0 && exponent <= 1)) {
      throw new IllegalArgumentException("pair weighting exponent must be in [0, 1], not " + exponent);
    }
  }

  /** The weight of {@code p}. */
  public double weight(PreferencePair p) {
    return exponent == 0 || p.promptPairs() <= 0 ? 1.0 : Math.pow(p.promptPairs(), -exponent);
  }
}
