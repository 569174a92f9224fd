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
 */
public record TrainingPair(
    int[] prefix, int[] chosen, int[] rejected, double refChosen, double refRejected, long policyVersion) {

  /** Validates lengths. */
  public TrainingPair {
    if (prefix.length == 0 || chosen.length == 0 || rejected.length == 0) {
      throw new IllegalArgumentException("a pair needs a prefix and two non-empty steps");
    }
  }

  /** From a recorded pair. */
  public static TrainingPair of(PreferencePair p) {
    return new TrainingPair(p.prefixTokens(), p.chosen().tokens(), p.rejected().tokens(), p.chosen().refLogProb(),
        p.rejected().refLogProb(), p.policyVersion());
  }

  /** Tokens the loss trains on: chosen plus rejected. */
  public int trainedTokens() {
    return chosen.length + rejected.length;
  }
}
