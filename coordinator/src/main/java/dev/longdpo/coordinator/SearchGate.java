package dev.longdpo.coordinator;

/**
 * Whether a coordinator's trees may send expansions, and how many they sent. Shared by the
 * coordinator and its tree runners (one JVM): a runner starts an expansion and counts it under the
 * same lock the coordinator pauses under, so the count read when the pause took effect is final
 * until the run is resumed.
 */
final class SearchGate {

  private boolean paused;
  private long started;

  /** Counts an expansion and returns true, unless paused. */
  synchronized boolean tryStartExpansion() {
    if (paused) {
      return false;
    }
    started++;
    return true;
  }

  /** Pauses or resumes; returns the expansions started so far. */
  synchronized long setPaused(boolean p) {
    paused = p;
    return started;
  }

  synchronized boolean paused() {
    return paused;
  }

  synchronized long started() {
    return started;
  }
}
