package dev.longdpo.model.generate;

/**
 * Changes one sequence's next-token logits before sampling: bans, biases, penalties.
 *
 * <p>Hooks see a copy; the log-probs a generation reports are always those of the raw model
 * (temperature 1, no filtering, no hook). A hook may keep per-sequence state, so give each request
 * its own instance unless the hook is stateless.
 */
@FunctionalInterface
public interface LogitsHook {

  /**
   * @param history the sequence so far
   * @param logits next-token logits, modified in place; {@code Float.NEGATIVE_INFINITY} bans
   */
  void apply(TokenHistory history, float[] logits);

  /** This hook, then {@code next}. */
  default LogitsHook andThen(LogitsHook next) {
    return (history, logits) -> {
      apply(history, logits);
      next.apply(history, logits);
    };
  }
}
