package dev.longdpo.protocol.pairs;

import dev.longdpo.protocol.search.StepScore;
import java.util.Arrays;
import java.util.Objects;

/**
 * One side of a preference pair. Holds an array (the ids), so equality is written out.
 *
 * @param text the decoded step, exactly as appended to the prefix
 * @param tokens the ids as generated; an answer-ending step keeps its end-of-sequence id
 * @param endsAnswer whether the step ends the answer
 * @param score the judge's verdict
 * @param refLogProb the reference model's summed log-prob of {@code tokens} given the prefix
 * @param q the node's mean backed-up value in the search
 */
public record PairStep(String text, int[] tokens, boolean endsAnswer, StepScore score, double refLogProb, double q) {

  @Override
  public boolean equals(Object o) {
    return o instanceof PairStep p
        && text.equals(p.text) && Arrays.equals(tokens, p.tokens) && endsAnswer == p.endsAnswer
        && score.equals(p.score) && Double.compare(refLogProb, p.refLogProb) == 0 && Double.compare(q, p.q) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(text, Arrays.hashCode(tokens), endsAnswer, score, refLogProb, q);
  }

  @Override
  public String toString() {
    return "PairStep[" + tokens.length + " tokens, ends=" + endsAnswer + ", value=" + score.value() + "]";
  }
}
