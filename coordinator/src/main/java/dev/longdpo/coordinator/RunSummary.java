package dev.longdpo.coordinator;

import dev.longdpo.protocol.KryoMessage;

/**
 * A run's closing summary.
 *
 * @param prompts prompts in the run
 * @param trees trees completed (earlier sessions included)
 * @param skipped prompts skipped because an earlier session completed them
 * @param failed trees that failed this session
 * @param pairs pairs in the log
 * @param vetoes candidates the memory pool vetoed
 * @param prematureEnds answer-ending candidates vetoed for ending far short of the target
 * @param critiquesFired weak chosen steps critiqued
 * @param critiquesApplied regenerated steps that replaced the chosen one
 * @param expansions node expansions
 * @param meanMargin mean chosen − rejected judge value over the pairs
 * @param endedRate share of committed answers that ended with end of sequence
 * @param maxTreesInFlight the most trees searched at once this session
 * @param seconds wall time of this session
 */
public record RunSummary(
    int prompts,
    int trees,
    int skipped,
    int failed,
    long pairs,
    long vetoes,
    long prematureEnds,
    long critiquesFired,
    long critiquesApplied,
    long expansions,
    double meanMargin,
    double endedRate,
    int maxTreesInFlight,
    double seconds) implements KryoMessage {

  /** Pairs per second of this session. */
  public double pairsPerSecond(long sessionPairs) {
    return seconds <= 0 ? 0 : sessionPairs / seconds;
  }
}
