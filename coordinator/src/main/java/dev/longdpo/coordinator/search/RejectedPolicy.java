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
  CLOSEST_LENGTH_LOWER
}
