package dev.longdpo.model.train;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Keeps training steps apart from every other model computation in this JVM.
 *
 * <p>A training step (forward, backward, update) runs alone: DJL's PyTorch gradient collector is
 * global, so two steps cannot record at once, and a step that overlaps inference on another thread
 * (generation, scoring) comes out with non-finite gradients now and then (measured: 4 to 21 of 60
 * steps with a generating thread beside it, none when the two take turns). Inference calls run
 * side by side with each other. The lock is fair: a step waits for the inference calls already
 * running, and inference calls that arrive after a waiting step wait for it. Generation takes
 * the shared side per decoding step (one forward pass), so a step waits milliseconds, not a
 * whole batch. Both waits are counted, so the cost of sharing one process is measurable.
 */
public final class GradientLock {

  private static final ReentrantReadWriteLock LOCK = new ReentrantReadWriteLock(true);
  private static final AtomicLong STEP_WAIT_NANOS = new AtomicLong();
  private static final AtomicLong INFERENCE_WAIT_NANOS = new AtomicLong();

  private GradientLock() {}

  /**
   * Runs a training step alone.
   *
   * @throws IllegalStateException if this thread is inside an inference call: waiting for the
   *     exclusive side while holding the shared one would wait forever
   */
  public static <T> T run(Supplier<T> body) {
    if (LOCK.getReadHoldCount() > 0) {
      throw new IllegalStateException(
          "a training step cannot start inside an inference call on the same thread");
    }
    long start = System.nanoTime();
    LOCK.writeLock().lock();
    STEP_WAIT_NANOS.addAndGet(System.nanoTime() - start);
    try {
      return body.get();
    } finally {
      LOCK.writeLock().unlock();
    }
  }

  /** Runs an inference computation; others may run beside it, a training step may not. */
  public static <T> T shared(Supplier<T> body) {
    long start = System.nanoTime();
    LOCK.readLock().lock();
    INFERENCE_WAIT_NANOS.addAndGet(System.nanoTime() - start);
    try {
      return body.get();
    } finally {
      LOCK.readLock().unlock();
    }
  }

  /** Threads waiting for either side now (for tests and monitoring). */
  public static int waitingThreads() {
    return LOCK.getQueueLength();
  }

  /** Total time training steps have waited, in milliseconds. */
  public static long waitedMillis() {
    return TimeUnit.NANOSECONDS.toMillis(STEP_WAIT_NANOS.get());
  }

  /** Total time inference calls have waited for training steps, in milliseconds. */
  public static long inferenceWaitedMillis() {
    return TimeUnit.NANOSECONDS.toMillis(INFERENCE_WAIT_NANOS.get());
  }
}
