package dev.longdpo.protocol.pairs;

/**
 * A prompt whose search finished (a restarted run skips it).
 *
 * @param promptId the prompt
 * @param pairs pairs it produced
 * @param depth steps committed
 * @param vetoes candidates the memory pool vetoed
 * @param critiquesFired how often the chosen step was weak enough to critique
 * @param critiquesApplied how often the regenerated step replaced it
 * @param expansions node expansions
 * @param answer the committed path's text
 * @param ended whether the answer ended with end of sequence (not the depth cap)
 * @param prefixTokensCached prefix tokens the sampler served from its cache
 * @param prefixTokensTotal prefix tokens of every expansion
 * @param prematureEnds answer-ending candidates vetoed for ending too early
 */
public record TreeCompleted(
    String promptId,
    int pairs,
    int depth,
    int vetoes,
    int critiquesFired,
    int critiquesApplied,
    int expansions,
    String answer,
    boolean ended,
    int prefixTokensCached,
    int prefixTokensTotal,
    int prematureEnds) {}
