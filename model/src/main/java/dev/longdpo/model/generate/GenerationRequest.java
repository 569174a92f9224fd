package dev.longdpo.model.generate;

import java.util.Optional;

/**
 * One sequence to continue.
 *
 * @param prefix the tokens to continue (prompt, or a node's prefix); shared prefixes prefill once
 * @param params how to sample and when to stop
 * @param seed seeds this sequence's sampler alone, so batching does not change its draws
 * @param hook optional logits hook for this sequence
 * @param keepState whether the result should carry a {@link PrefixState} of prefix + output whose
 *     cache is reused by later requests (a search node's children)
 */
public record GenerationRequest(
    PrefixState prefix,
    SamplingParams params,
    long seed,
    Optional<LogitsHook> hook,
    boolean keepState) {

  /** A request without hook that does not keep its state. */
  public static GenerationRequest of(PrefixState prefix, SamplingParams params, long seed) {
    return new GenerationRequest(prefix, params, seed, Optional.empty(), false);
  }

  /** A copy with a hook. */
  public GenerationRequest withHook(LogitsHook h) {
    return new GenerationRequest(prefix, params, seed, Optional.of(h), keepState);
  }

  /** A copy that keeps (or not) the continued state. */
  public GenerationRequest keepingState(boolean keep) {
    return new GenerationRequest(prefix, params, seed, hook, keep);
  }
}
