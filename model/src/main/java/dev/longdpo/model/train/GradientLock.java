package dev.longdpo.model.train;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serializes backward passes in this JVM. DJL's PyTorch gradient collector is global: a second
 * collector opened while one is recording throws. Every trainer in the process (several
 * gpu-workers, say) takes this lock around forward, backward and update.
 *
 * <p>Counts the time spent waiting, so the cost of sharing one process is measurable.
 */
public final class GradientLock {

  private static final ReentrantLock LOCK = new ReentrantLock(true);
  private static final AtomicLong WAITED_NANOS = new AtomicLong();

  private GradientLock() {}

  /** Runs {@code body} holding the lock. */
  public static <T> T run(Supplier<T> body) {
    long start = System.nanoTime();
    LOCK.lock();
    WAITED_NANOS.addAndGet(System.nanoTime() - start);
    try {
      return body.get();
    } finally {
      LOCK.unlock();
    }
  }

  /** Total time threads have waited for the lock, in milliseconds. */
  public static long waitedMillis() {
    return TimeUnit.NANOSECONDS.toMillis(WAITED_NANOS.get());
  }
}
