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
  RANDOM_LOWER_CONTRAST_END
}
