package dev.longdpo.gpuworker.dpo;

import dev.longdpo.protocol.pairs.PreferencePair;

/**
 * What training needs of a pair: ids exactly as generated (never re-tokenized) and the reference
 * model's log-probs, carried by the pair so no reference model is held. Holds arrays.
 *
 * @param prefix prefix ids (prompt + earlier chosen steps)
 * @param chosen chosen step ids
 * @param rejected rejected step ids
 * @param refChosen reference summed log-prob of {@code chosen} given the prefix
 * @param refRejected likewise for {@code rejected}
 * @param policyVersion version of the policy that sampled the steps
 * @param weight how much the pair counts in its micro-batch's loss (see {@link PairWeighting})
 */
public record TrainingPair(
    int[] prefix, int[] chosen, int[] rejected, double refChosen, double refRejected, long policyVersion,
    double weight) {

  /** Validates lengths and the weight. */
  public TrainingPair {
    if (prefix.length == 0 || chosen.length == 0 || rejected.length == 0) {
      throw new IllegalArgumentException("a pair needs a prefix and two non-empty steps");
    }
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("a pair's weight must be positive and finite, not " + weight);
    }
  }

  /** A pair of weight 1. */
  public TrainingPair(int[] prefix, int[] chosen, int[] rejected, double refChosen, double refRejected, long policyVersion) {
    this(prefix, chosen, rejected, refChosen, refRejected, policyVersion, 1.0);
  }

  /** From a recorded pair, weighted as {@code weighting} says. */
  public static TrainingPair of(PreferencePair p, PairWeighting weighting) {
    return new TrainingPair(p.prefixTokens(), p.chosen().tokens(), p.rejected().tokens(), p.chosen().refLogProb(),
        p.rejected().refLogProb(), p.policyVersion(), weighting.weight(p));
  }

  /** Tokens the loss trains on: chosen plus rejected. */
  public int trainedTokens() {
    return chosen.length + rejected.length;
  }
}
