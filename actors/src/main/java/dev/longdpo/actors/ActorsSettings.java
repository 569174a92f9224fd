package dev.longdpo.actors;

import com.typesafe.config.Config;
import dev.longdpo.config.Validate;
import java.time.Duration;

/**
 * The actors module's settings, read once from {@code longdpo.actors}.
 *
 * @param maxBatchRows sampled sequences that close a search-node batch
 * @param maxWait how long a search node waits to fill a batch
 * @param cacheBudgetBytes native memory for cached node states per search node
 * @param blockingRewards whether reward actors run on the blocking dispatcher
 * @param searchNodes search nodes a search host runs for a model-backed run, each with its own
 *     copy of the model and decoding thread
 */
public record ActorsSettings(int maxBatchRows, Duration maxWait, long cacheBudgetBytes, boolean blockingRewards,
    int searchNodes) {

  /** The dispatcher model calls run on. */
  public static final String BLOCKING_DISPATCHER = "longdpo.actors.blocking-dispatcher";

  /** Reads and validates {@code longdpo.actors}. */
  public static ActorsSettings create(Config c) {
    return new ActorsSettings(
        Validate.intInRange(c, "longdpo.actors.search-node.max-batch-rows", 1, 4096),
        Validate.positiveDuration(c, "longdpo.actors.search-node.max-wait"),
        Validate.bytes(c, "longdpo.actors.search-node.cache-budget"),
        Validate.bool(c, "longdpo.actors.reward.blocking"),
        Validate.intInRange(c, "longdpo.actors.search-nodes", 1, 64));
  }
}
