package dev.longdpo.actors.backend;

/**
 * Scores token ids under the frozen reference: the log-probs a pair carries for DPO when the
 * policy that sampled them is not the reference. Thread-safe.
 */
public interface ReferenceScorer {

  /**
   * The reference's summed log-prob of each continuation after {@code prefix}, on the clean
   * prefix the pair records (no critique in it).
   *
   * @param prefix the pair's prefix ids (the templated prompt and the committed steps)
   */
  double[] sumLogProbs(int[] prefix, int[]... continuations);
}
