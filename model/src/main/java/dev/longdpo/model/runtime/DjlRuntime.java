package dev.longdpo.model.runtime;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dev.longdpo.model.train.GradientLock;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Configures DJL for this process before its engine starts: offline (nothing is ever downloaded;
 * a missing native fails at once), no telemetry, a native cache directory, and thread counts.
 *
 * <p>DJL reads these as system properties when the PyTorch engine is created, so they only take
 * effect if set before the first NDArray, model or tokenizer is made. Values already given with
 * {@code -D} win over the defaults set here.
 */
public final class DjlRuntime {

  private static volatile boolean started;
  private static volatile int trainingThreads;

  private DjlRuntime() {}

  /**
   * Sets offline mode and opts out of telemetry unless the process already decided otherwise.
   * Called by every entry point of this module, so a library user cannot forget it.
   */
  public static void ensureOffline() {
    setIfAbsent("ai.djl.offline", "true");
    setIfAbsent("OPT_OUT_TRACKING", "true");
  }

  /**
   * Sets the native cache directory and thread counts (defaults only: {@code -D} values win).
   *
   * @param cacheDir where the PyTorch and tokenizer natives are extracted once (about 430 MB)
   * @param intraOpThreads threads one tensor operation may use
   * @param interOpThreads threads for running independent operations in parallel
   */
  public static void configure(Path cacheDir, int intraOpThreads, int interOpThreads) {
    ensureOffline();
    String dir = cacheDir.toAbsolutePath().toString();
    setIfAbsent("DJL_CACHE_DIR", dir);
    setIfAbsent("ENGINE_CACHE_DIR", dir);
    setIfAbsent("ai.djl.pytorch.num_threads", Integer.toString(intraOpThreads));
    setIfAbsent("ai.djl.pytorch.num_interop_threads", Integer.toString(interOpThreads));
    // The graph executor optimizer only matters for TorchScript models; we run eager ops.
    setIfAbsent("ai.djl.pytorch.graph_optimizer", "false");
  }

  /** Starts the PyTorch engine (idempotent) and returns it. */
  public static Engine engine() {
    ensureOffline();
    setIfAbsent("ai.djl.pytorch.graph_optimizer", "false");
    Engine engine = Engine.getEngine("PyTorch");
    started = true;
    return engine;
  }

  /** Whether the engine has been started by this process. */
  public static boolean isStarted() {
    return started;
  }

  /** The number of intra-op threads the engine actually uses. */
  public static int intraOpThreads() {
    engine();
    return JniUtils.getNumThreads();
  }

  /**
   * Changes the intra-op thread count of this thread's tensor operations. PyTorch keeps the count
   * per thread (OpenMP's and MKL's), and also as the default a thread takes at its first parallel
   * operation: threads that already ran one keep theirs.
   *
   * @return this thread's previous count
   */
  public static int setIntraOpThreads(int threads) {
    engine();
    int before = JniUtils.getNumThreads();
    JniUtils.setNumThreads(threads);
    return before;
  }

  /** Sets the intra-op threads a training step takes (0: every core); see {@link #trainingThreads}. */
  public static void configureTrainingThreads(int threads) {
    if (threads < 0) {
      throw new IllegalArgumentException("training threads: " + threads);
    }
    trainingThreads = threads;
  }

  /**
   * Intra-op threads for a training step: the configured count, every core by default. A step runs
   * alone (GradientLock), so it can take the cores that the actors' one thread each leaves idle.
   */
  public static int trainingThreads() {
    int t = trainingThreads;
    return t > 0 ? t : Runtime.getRuntime().availableProcessors();
  }

  /** Work that may throw a checked exception. */
  @FunctionalInterface
  public interface Work<E extends Exception> {
    /** Does the work. */
    void run() throws E;
  }

  /**
   * Runs {@code work} with this thread's intra-op thread count set to {@code threads}, then
   * restores the previous count (see {@link #setIntraOpThreads}).
   */
  public static <E extends Exception> void withIntraOpThreads(int threads, Work<E> work) throws E {
    int before = setIntraOpThreads(threads);
    try {
      work.run();
    } finally {
      setIntraOpThreads(before);
    }
  }

  /**
   * Runs {@code body} with autograd recording switched off on this thread, never while a training
   * step runs in this JVM (see {@link GradientLock}).
   *
   * <p>PyTorch's grad mode is per thread and on by default; DJL only switches it off on the thread
   * that created the engine. Actor threads therefore must say what they want.
   */
  public static <T> T withoutGrad(Supplier<T> body) {
    return GradientLock.shared(() -> gradOff(body));
  }

  /**
   * Runs {@code body} with autograd recording switched off on this thread but without holding
   * {@link GradientLock}: for long computations that take the lock's shared side around each of
   * their tensor operations themselves (generation, per decoding step), so training steps can run
   * between them.
   */
  public static <T> T gradOff(Supplier<T> body) {
    engine();
    boolean before = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      return body.get();
    } finally {
      JniUtils.setGradMode(before);
    }
  }

  /** Runs {@code body} with autograd recording switched off on this thread. */
  public static void withoutGrad(Runnable body) {
    withoutGrad(
        () -> {
          body.run();
          return null;
        });
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null && System.getenv(key) == null) {
      System.setProperty(key, value);
    }
  }
}
