package dev.longdpo.coordinator;

import dev.longdpo.actors.backend.Facts;
import dev.longdpo.actors.backend.PromptEncoder;
import dev.longdpo.actors.backend.ReferenceScorer;
import java.util.Optional;

/**
 * What a coordinator needs besides its workers: how a task becomes the policy's prompt, the memory
 * pool's fact checker and, where the policy is not the reference, the reference (all thread-safe).
 *
 * @param prompts the policy's templated prompt and its ids for a task
 * @param facts the fact checker
 * @param reference scores pairs' sides when the policy is not the reference; empty when the
 *     sampler's log-probs are the reference's
 */
public record SearchBackends(PromptEncoder prompts, Facts facts, Optional<ReferenceScorer> reference) {

  /** Backends whose policy is the reference. */
  public SearchBackends(PromptEncoder prompts, Facts facts) {
    this(prompts, facts, Optional.empty());
  }
}
