package dev.longdpo.model.generate;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of the work a model did, for benchmarks and metrics: how many tokens went through a
 * prefill pass, how many prefix tokens came from a cache instead, and decode steps.
 */
public final class ModelStats {

  private final AtomicLong prefillTokens = new AtomicLong();
  private final AtomicLong cachedPrefixTokens = new AtomicLong();
  private final AtomicLong decodeSteps = new AtomicLong();
  private final AtomicLong decodeRowTokens = new AtomicLong();
  private final AtomicLong sampledTokens = new AtomicLong();

  /** Tokens run through a prefill (prompt or prefix) forward. */
  public long prefillTokens() {
    return prefillTokens.get();
  }

  /** Prefix tokens whose keys and values came from a cache when a prefix was completed. */
  public long cachedPrefixTokens() {
    return cachedPrefixTokens.get();
  }

  /** Batched single-token decode passes. */
  public long decodeSteps() {
    return decodeSteps.get();
  }

  /** Rows summed over decode passes (including finished rows still in the batch). */
  public long decodeRowTokens() {
    return decodeRowTokens.get();
  }

  /** Tokens sampled and returned. */
  public long sampledTokens() {
    return sampledTokens.get();
  }

  void addPrefill(int computed, int fromCache) {
    prefillTokens.addAndGet(computed);
    cachedPrefixTokens.addAndGet(fromCache);
  }

  void addDecodeStep(int rows) {
    decodeSteps.incrementAndGet();
    decodeRowTokens.addAndGet(rows);
  }

  void addSampled(int n) {
    sampledTokens.addAndGet(n);
  }

  /** Resets every counter to zero. */
  public void reset() {
    prefillTokens.set(0);
    cachedPrefixTokens.set(0);
    decodeSteps.set(0);
    decodeRowTokens.set(0);
    sampledTokens.set(0);
  }
}
