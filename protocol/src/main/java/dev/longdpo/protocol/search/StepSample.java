package dev.longdpo.protocol.search;

import java.util.Arrays;
import java.util.Objects;

/**
 * One sampled step. Holds an array (the step's ids), so equality is written out.
 *
 * @param tokens the generated ids, including a final end-of-sequence or paragraph token
 * @param text the decoded step (it may begin with a space and end with a paragraph break)
 * @param endsAnswer whether the step ended with end of sequence
 * @param sumLogProb summed raw-model log-prob of the ids given the prefix (temperature 1, no hook)
 * @param childKey the key under which the sampler cached the child's state
 */
public record StepSample(int[] tokens, String text, boolean endsAnswer, double sumLogProb, String childKey) {

  /** Mean log-prob per token (0 for no tokens). */
  public double meanLogProb() {
    return tokens.length == 0 ? 0 : sumLogProb / tokens.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StepSample s
        && Arrays.equals(tokens, s.tokens) && text.equals(s.text) && endsAnswer == s.endsAnswer
        && Double.compare(sumLogProb, s.sumLogProb) == 0 && childKey.equals(s.childKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(tokens), text, endsAnswer, sumLogProb, childKey);
  }

  @Override
  public String toString() {
    return "StepSample[" + childKey + ", " + tokens.length + " tokens, ends=" + endsAnswer + "]";
  }
}
