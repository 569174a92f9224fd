package dev.longdpo.model.runtime;

import java.util.Optional;

/**
 * Raises glibc's mmap threshold while pretraining runs, and sets it back after.
 *
 * <p>The launcher starts every JVM with a low threshold ({@code MALLOC_MMAP_THRESHOLD_}, 4 MB), so
 * that decode caches and attention arrays are mapped on their own and go back to the system when
 * freed: that keeps a long demo's resident set low. A training step frees and allocates arrays of
 * 4 to 40 MB many times over, and mapping each afresh (page faults, zeroing) cost pretraining a
 * third of its speed (docs/footprint.md). So pretraining, which runs alone, runs at
 * {@link #TRAINING_THRESHOLD}; when the outermost raise ends, the threshold goes back to the
 * starting value and the arenas are trimmed, handing back what it freed. (The demo's trainers stay
 * at 4 MB: raised around each of their steps, the quick demo ran no faster and peaked 0.3 GB
 * higher.) Where the process was started without the variable (glibc's own adaptive threshold)
 * or not on glibc, nothing is changed. The threshold is process-wide, so raises may nest or
 * overlap (two pretrainings in one JVM): the last to end sets it back.
 */
public final class MallocTuning {

  /** The environment variable glibc reads the threshold from at start. */
  public static final String ENV = "MALLOC_MMAP_THRESHOLD_";

  /**
   * The threshold pretraining runs at. 16 MB rather than glibc's largest (32 MB, faster still):
   * at 32 MB the arenas grow so large during pretraining that the demo after it, in the same JVM,
   * peaked 0.3 GB higher (docs/footprint.md).
   */
  public static final int TRAINING_THRESHOLD = 16 << 20;

  private static final Optional<Integer> STARTING = startingThreshold(System.getenv(ENV));

  private static int depth; // raises in progress, guarded by the class
  private static boolean raised; // whether the outermost raise changed the threshold

  private MallocTuning() {}

  /** Runs {@code work} at the training threshold (see the class comment). */
  public static <E extends Exception> void runWhileTraining(DjlRuntime.Work<E> work) throws E {
    withThreshold(STARTING, TRAINING_THRESHOLD, work);
  }

  /** Runs {@code work} at {@code bytes}, given the process's starting threshold (tests). */
  static <E extends Exception> void withThreshold(Optional<Integer> starting, int bytes, DjlRuntime.Work<E> work)
      throws E {
    enter(starting, bytes);
    try {
      work.run();
    } finally {
      leave(starting);
    }
  }

  private static synchronized void enter(Optional<Integer> starting, int bytes) {
    if (depth++ == 0) {
      raised = starting.isPresent()
          && starting.get() < bytes
          && bytes <= GlibcMalloc.MAX_MMAP_THRESHOLD
          && GlibcMalloc.setMmapThreshold(bytes);
    }
  }

  private static synchronized void leave(Optional<Integer> starting) {
    if (--depth == 0 && raised) {
      raised = false;
      GlibcMalloc.setMmapThreshold(starting.orElseThrow());
      // What the work freed below the raised threshold sits in the arenas; give it back.
      GlibcMalloc.trim();
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
