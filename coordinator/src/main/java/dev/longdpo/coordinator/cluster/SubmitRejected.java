package dev.longdpo.coordinator.cluster;

/** A submit the manager refuses: bad input, named (file, line, field). Nothing is left on disk. */
final class SubmitRejected extends Exception {

  private static final long serialVersionUID = 1L;

  SubmitRejected(String message) {
    super(message);
  }
}
