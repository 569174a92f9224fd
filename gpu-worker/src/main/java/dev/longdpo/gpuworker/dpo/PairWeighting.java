package dev.longdpo.gpuworker.dpo;

import dev.longdpo.protocol.pairs.PreferencePair;

/**
 * How much each pair of a micro-batch counts in its loss. The loss is the weighted mean {@code Σ
 * w·l / Σ w}, so the weights only shift the batch's attention between pairs; its scale stays.
 */
public enum PairWeighting {
  /** Every pair counts once, as in the paper. */
  PAIR,
  /**
   * A pair weighs {@code 1 / (pairs its prompt yielded)}, so a long answer's dozen steps do not
   * outvote a short answer's one or two: without it, what long answers teach (go on, write longer
   * paragraphs) reaches short answers too. Pairs whose prompt count is unknown weigh 1.
   */
  PROMPT;

  /** The weight of {@code p}. */
  public double weight(PreferencePair p) {
    return this == PROMPT && p.promptPairs() > 0 ? 1.0 / p.promptPairs() : 1.0;
  }
}
