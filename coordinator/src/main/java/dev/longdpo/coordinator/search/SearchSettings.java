package dev.longdpo.coordinator.search;

import com.typesafe.config.Config;
import dev.longdpo.config.Validate;
import dev.longdpo.protocol.search.StepDecoding;
import java.time.Duration;

/**
 * The search's settings, read once from {@code longdpo.search} (see reference.conf for meanings).
 */
public record SearchSettings(
    int k,
    int rollouts,
    double cBase,
    double cInit,
    StepDecoding decoding,
    int wordsPerStep,
    double depthCapFactor,
    double minEndFraction,
    RejectedPolicy rejected,
    boolean critique,
    double critiqueThreshold,
    int maxSuggestions,
    boolean memoryPool,
    int vetoRetries,
    int treesInFlight,
    long seed,
    Duration askTimeout,
    long policyVersion) {

  /** Reads and validates {@code longdpo.search}. */
  public static SearchSettings create(Config c) {
    String p = "longdpo.search.";
    return new SearchSettings(
        Validate.intInRange(c, p + "k", 1, 64),
        Validate.intInRange(c, p + "rollouts", 1, 10_000),
        Validate.positiveDouble(c, p + "c-base"),
        Validate.doubleInRange(c, p + "c-init", 0, 1e6),
        new StepDecoding(
            Validate.doubleInRange(c, p + "temperature", 0, 10),
            Validate.doubleInRange(c, p + "top-p", 1e-6, 1),
            Validate.intInRange(c, p + "max-step-tokens", 1, 1 << 16)),
        Validate.positiveInt(c, p + "words-per-step"),
        Validate.positiveDouble(c, p + "depth-cap-factor"),
        Validate.doubleInRange(c, p + "min-end-fraction", 0, 1),
        Validate.oneOf(c, p + "rejected", RejectedPolicy.class),
        Validate.bool(c, p + "critique.enabled"),
        Validate.doubleInRange(c, p + "critique.threshold", 0, 5),
        Validate.intInRange(c, p + "critique.max-suggestions", 1, 10),
        Validate.bool(c, p + "memory-pool.enabled"),
        Validate.intInRange(c, p + "memory-pool.retries", 0, 10),
        Validate.intInRange(c, p + "trees-in-flight", 1, 100_000),
        Validate.nonNegativeLong(c, p + "seed"),
        Validate.positiveDuration(c, p + "ask-timeout"),
        Validate.nonNegativeLong(c, p + "policy-version"));
  }

  /** The depth cap for a required length. */
  public int depthCap(int requiredWords) {
    return (int) Math.ceil(requiredWords * depthCapFactor / wordsPerStep) + 2;
  }

  /** A copy with other K and R (the demo's quick mode lowers them). */
  public SearchSettings withBudget(int newK, int newRollouts) {
    return new SearchSettings(newK, newRollouts, cBase, cInit, decoding, wordsPerStep, depthCapFactor, minEndFraction, rejected,
        critique, critiqueThreshold, maxSuggestions, memoryPool, vetoRetries, treesInFlight, seed, askTimeout,
        policyVersion);
  }

  /** A copy with critique and the memory pool switched on or off (for ablations). */
  public SearchSettings withComponents(boolean useCritique, boolean useMemoryPool) {
    return new SearchSettings(k, rollouts, cBase, cInit, decoding, wordsPerStep, depthCapFactor, minEndFraction, rejected,
        useCritique, critiqueThreshold, maxSuggestions, useMemoryPool, vetoRetries, treesInFlight, seed, askTimeout,
        policyVersion);
  }

  /** A copy with another critique threshold. */
  public SearchSettings withCritiqueThreshold(double eta) {
    return new SearchSettings(k, rollouts, cBase, cInit, decoding, wordsPerStep, depthCapFactor, minEndFraction, rejected,
        critique, eta, maxSuggestions, memoryPool, vetoRetries, treesInFlight, seed, askTimeout, policyVersion);
  }

  /** A copy with another minimum share of the required length before the answer may end. */
  public SearchSettings withMinEndFraction(double fraction) {
    return new SearchSettings(k, rollouts, cBase, cInit, decoding, wordsPerStep, depthCapFactor, fraction, rejected,
        critique, critiqueThreshold, maxSuggestions, memoryPool, vetoRetries, treesInFlight, seed, askTimeout,
        policyVersion);
  }

  /** A copy with another number of trees in flight. */
  public SearchSettings withTreesInFlight(int n) {
    return new SearchSettings(k, rollouts, cBase, cInit, decoding, wordsPerStep, depthCapFactor, minEndFraction, rejected,
        critique, critiqueThreshold, maxSuggestions, memoryPool, vetoRetries, n, seed, askTimeout, policyVersion);
  }
}
