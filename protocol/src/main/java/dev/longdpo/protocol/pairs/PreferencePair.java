package dev.longdpo.protocol.pairs;

import dev.longdpo.protocol.WireMessage;
import java.util.Arrays;
import java.util.Objects;

/**
 * A stepwise preference pair: two sibling steps after one shared prefix, the better one chosen.
 * Holds an array (the prefix ids), so equality is written out.
 *
 * @param pairId {@code run/prompt/depth}; a replayed prompt writes the same ids
 * @param runId the run
 * @param promptId the prompt (task id)
 * @param depth 1-based step index
 * @param prompt the user prompt, untemplated
 * @param prefixText model input: templated prompt plus earlier chosen steps
 * @param prefixTokens its ids
 * @param chosen the better step
 * @param rejected the worse sibling
 * @param critiqueApplied whether the chosen step was regenerated with critique
 * @param policyVersion the version of the policy that sampled the steps
 * @param rejectedVetoed whether the rejected step contradicted the memory pool
 * @param promptPairs how many pairs the prompt's final path yielded, this one included (0 when
 *     unknown); a trainer weighting prompts rather than pairs reads it
 */
public record PreferencePair(
    String pairId,
    String runId,
    String promptId,
    int depth,
    String prompt,
    String prefixText,
    int[] prefixTokens,
    PairStep chosen,
    PairStep rejected,
    boolean critiqueApplied,
    long policyVersion,
    boolean rejectedVetoed,
    int promptPairs) implements WireMessage {

  /** The deterministic id of a pair. */
  public static String id(String runId, String promptId, int depth) {
    return runId + "/" + promptId + "/" + depth;
  }

  /** This pair, with the number of pairs its prompt yielded (known once the prompt's search ends). */
  public PreferencePair withPromptPairs(int n) {
    return new PreferencePair(pairId, runId, promptId, depth, prompt, prefixText, prefixTokens, chosen, rejected,
        critiqueApplied, policyVersion, rejectedVetoed, n);
  }

  /** Chosen value minus rejected value (the judge's margin). */
  public double margin() {
    return chosen.score().value() - rejected.score().value();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PreferencePair p
        && pairId.equals(p.pairId) && runId.equals(p.runId) && promptId.equals(p.promptId) && depth == p.depth
        && prompt.equals(p.prompt) && prefixText.equals(p.prefixText) && Arrays.equals(prefixTokens, p.prefixTokens)
        && chosen.equals(p.chosen) && rejected.equals(p.rejected) && critiqueApplied == p.critiqueApplied
        && policyVersion == p.policyVersion && rejectedVetoed == p.rejectedVetoed && promptPairs == p.promptPairs;
  }

  @Override
  public int hashCode() {
    return Objects.hash(pairId, prefixText, Arrays.hashCode(prefixTokens), chosen, rejected);
  }

  @Override
  public String toString() {
    return "PreferencePair[" + pairId + "]";
  }
}
