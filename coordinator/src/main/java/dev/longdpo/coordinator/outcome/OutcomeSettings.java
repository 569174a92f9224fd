package dev.longdpo.coordinator.outcome;

import com.typesafe.config.Config;
import dev.longdpo.config.Validate;

/**
 * The outcome-DPO baseline's data, read once from {@code longdpo.outcome} (meanings in
 * reference.conf).
 *
 * @param answersPerPrompt whole answers sampled per prompt (N)
 * @param temperature sampling temperature (the search's, for a like-for-like comparison)
 * @param topP nucleus size
 * @param lengthFactor answers may run to this multiple of the required length (the search's
 *     depth cap), in tokens
 * @param batchSize sequences decoded together
 * @param seed with each prompt's id, seeds its answers
 */
public record OutcomeSettings(
    int answersPerPrompt, double temperature, double topP, double lengthFactor, int batchSize, long seed) {

  /** Reads and validates {@code longdpo.outcome}. */
  public static OutcomeSettings create(Config c) {
    String p = "longdpo.outcome.";
    return new OutcomeSettings(
        Validate.intInRange(c, p + "answers-per-prompt", 2, 64),
        Validate.doubleInRange(c, p + "temperature", 0.01, 10),
        Validate.doubleInRange(c, p + "top-p", 0.01, 1),
        Validate.doubleInRange(c, p + "length-factor", 1, 10),
        Validate.intInRange(c, p + "batch-size", 1, 1024),
        c.getLong(p + "seed"));
  }
}
