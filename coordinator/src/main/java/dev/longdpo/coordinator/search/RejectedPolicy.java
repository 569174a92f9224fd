package dev.longdpo.coordinator.search;

/** Which sibling becomes the rejected side of a pair. */
public enum RejectedPolicy {
  /** A uniformly random sibling with a lower value (the official code's choice). */
  RANDOM_LOWER,
  /** The sibling with the lowest value. */
  LOWEST,
  /**
   * A random lower sibling, except when the chosen step ends the answer: then a random lower
   * sibling that goes on, if there is one, so the final pair contrasts ending with continuing.
   */
  RANDOM_LOWER_CONTRAST_END,
  /**
   * The lower sibling whose length in tokens is closest to the chosen step's (ties at random). The
   * judge's length term makes the chosen step the longer one in most pairs; a tiny model learns
   * "write longer" from that contrast everywhere, whatever the prompt asks for. Matching lengths
   * leaves the quality difference, and the end-or-go-on decision where the siblings differ in it.
   */
  CLOSEST_LENGTH_LOWER,
  /**
   * The lower sibling whose own step quality (the principles' mean, without the length term) is
   * lowest; a vetoed sibling counts as lowest, ties go at random. The chosen step still wins on the
   * backed-up value, length included, while the rejected side is the one that breaks a principle
   * most (repeats, contradicts, strays), not the one that ends the answer earliest, which is what
   * the lowest value picks.
   */
  LOWEST_QUALITY_LOWER,
  /**
   * Draws a random lower sibling as {@link #RANDOM_LOWER} does, then rejects the lowest-quality
   * lower sibling that, like the drawn one, ends the answer or goes on. Whether the rejected side
   * ends decides what a pair teaches about length; which sibling of that kind it is decides what
   * it teaches about quality. This keeps the official code's mix of the first and takes the worst
   * of the second. (Lowest quality alone rejects a premature end far more often, and the trained
   * model ends its answers later.)
   */
  RANDOM_END_LOWEST_QUALITY
}
