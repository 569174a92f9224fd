package dev.longdpo.actors.backend;

/**
 * A policy's counters.
 *
 * @param batches calls to expand (batches)
 * @param expansions jobs expanded
 * @param samples steps sampled
 * @param sampledTokens tokens generated
 * @param prefixTokens prefix tokens of every job
 * @param prefixTokensCached prefix tokens whose keys and values came from a cache
 * @param cachedBytes bytes held by cached states now
 * @param evictions states dropped to stay within the budget
 */
public record PolicyStats(
    long batches,
    long expansions, long samples, long sampledTokens, long prefixTokens, long prefixTokensCached,
    long cachedBytes, long evictions) {

  /** The counters of two policies together (the search nodes of one host). */
  public PolicyStats plus(PolicyStats o) {
    return new PolicyStats(batches + o.batches, expansions + o.expansions, samples + o.samples,
        sampledTokens + o.sampledTokens, prefixTokens + o.prefixTokens, prefixTokensCached + o.prefixTokensCached,
        cachedBytes + o.cachedBytes, evictions + o.evictions);
  }

  /** Jobs per batch on average. */
  public double jobsPerBatch() {
    return batches == 0 ? 0 : (double) expansions / batches;
  }

  /** Share of prefix tokens served from the cache. */
  public double cacheShare() {
    return prefixTokens == 0 ? 0 : (double) prefixTokensCached / prefixTokens;
  }
}
