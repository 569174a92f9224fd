package dev.longdpo.coordinator.search;

/** Which sibling becomes the rejected side of a pair. */
public enum RejectedPolicy {
  /** A uniformly random sibling with a lower value (the official code's choice). */
  RANDOM_LOWER,
  /** The sibling with the lowest value. */
  LOWEST
}
