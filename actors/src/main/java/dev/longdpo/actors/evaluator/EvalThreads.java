package dev.longdpo.actors.evaluator;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The helper threads an evaluation decodes its extra batches on. */
final class EvalThreads {

  private static final AtomicInteger COUNT = new AtomicInteger();

  /** Daemon threads named {@code longdpo-eval-N}: a JVM never waits for them to exit. */
  static final ThreadFactory FACTORY = r -> {
    Thread t = new Thread(r, "longdpo-eval-" + COUNT.incrementAndGet());
    t.setDaemon(true);
    return t;
  };

  private EvalThreads() {}

  /** The batch's answers; a failure on the helper thread is rethrown here, naming the checkpoint. */
  static <T> T join(Future<T> f, String checkpoint) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(checkpoint + ": interrupted while waiting for a batch", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(checkpoint + ": a batch failed: " + cause.getMessage(), cause);
    }
  }

  /**
   * Lets the running batches finish before the caller frees their models: closing a model under a
   * batch that still decodes with it would free native memory in use.
   */
  static void stop(ExecutorService helpers) {
    helpers.shutdown();
    try {
      helpers.awaitTermination(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
