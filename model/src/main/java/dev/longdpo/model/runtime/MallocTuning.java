package dev.longdpo.model.runtime;

import java.util.Optional;

/**
 * Raises glibc's mmap threshold for the length of one piece of work.
 *
 * <p>The launcher starts every JVM with a low threshold ({@code MALLOC_MMAP_THRESHOLD_}, 4 MB), so
 * that decode caches and attention arrays are mapped on their own and go back to the system when
 * freed: that keeps a long demo's resident set low. Pretraining frees and allocates arrays of 4 to
 * 40 MB at every step, and mapping each afresh (page faults, zeroing) costs it about a quarter of
 * its speed (docs/footprint.md). Where the process was started without the variable (glibc's own
 * adaptive threshold) or not on glibc, nothing is changed.
 */
public final class MallocTuning {

  /** The environment variable glibc reads the threshold from at start. */
  public static final String ENV = "MALLOC_MMAP_THRESHOLD_";

  private MallocTuning() {}

  /**
   * Runs {@code work} with the mmap threshold at {@code bytes} (at most 32 MB), then sets it back
   * to the process's starting value and trims the arenas, if the process started with a lower
   * threshold set in its environment.
   */
  public static <E extends Exception> void withMmapThreshold(int bytes, DjlRuntime.Work<E> work) throws E {
    withMmapThreshold(System.getenv(ENV), bytes, work);
  }

  /** As {@link #withMmapThreshold(int, DjlRuntime.Work)}, with the environment's value given. */
  static <E extends Exception> void withMmapThreshold(String launched, int bytes, DjlRuntime.Work<E> work)
      throws E {
    Optional<Integer> before = startingThreshold(launched);
    boolean raised = before.isPresent()
        && before.get() < bytes
        && bytes <= GlibcMalloc.MAX_MMAP_THRESHOLD
        && GlibcMalloc.setMmapThreshold(bytes);
    try {
      work.run();
    } finally {
      if (raised) {
        GlibcMalloc.setMmapThreshold(before.get());
        // What the work freed below the raised threshold sits in the arenas; give it back.
        GlibcMalloc.trim();
      }
    }
  }

  /** The threshold a process started with, from its environment's value; empty if unset or not a size. */
  static Optional<Integer> startingThreshold(String launched) {
    if (launched == null || launched.isBlank()) {
      return Optional.empty();
    }
    try {
      long v = Long.parseLong(launched.trim());
      return v > 0 && v <= GlibcMalloc.MAX_MMAP_THRESHOLD ? Optional.of((int) v) : Optional.empty();
    } catch (NumberFormatException notANumber) {
      return Optional.empty();
    }
  }
}
