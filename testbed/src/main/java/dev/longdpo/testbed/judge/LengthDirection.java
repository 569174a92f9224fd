package dev.longdpo.testbed.judge;

/** Which way a critic wants the length to go. */
public enum LengthDirection {
  /** Keep writing: do not end the step or the answer yet. */
  LONGER,
  /** Wrap up: end the step, or the answer, at the next sentence end. */
  SHORTER,
  /** No change. */
  KEEP
}
