package dev.longdpo.cli;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code longdpo} in a JVM of its own, as a user's shell would: {@link Main} on the test's
 * class path, its output in a log file. Determinism tests use it because what they check (same
 * settings, same bits) has to hold across processes, where thread pools, allocation addresses and
 * JIT timing all start afresh, not just across two calls in one JVM.
 */
final class CliProcess {

  /**
   * The system properties the build gives test JVMs (the root pom's surefire and failsafe
   * configuration), passed on so that the child finds the same extracted natives, stays offline
   * and uses the same thread counts.
   */
  private static final List<String> INHERITED_PROPERTIES = List.of(
      "DJL_CACHE_DIR", "ENGINE_CACHE_DIR", "ai.djl.offline", "ai.djl.pytorch.num_threads",
      "ai.djl.pytorch.num_interop_threads");

  /** The child's heap: tiny models need little, and the test's JVM shares the machine. */
  private static final String MAX_HEAP = "-Xmx768m";

  /** How much of a failed run's log a failure message shows. */
  private static final int LOG_TAIL_CHARS = 6000;

  private CliProcess() {}

  /**
   * Runs {@code longdpo args} and waits for it, failing the test with the end of its log if it
   * does not exit with 0 within {@code timeout} (it is killed then).
   *
   * @param log where its stdout and stderr go, together
   * @param env variables set for it on top of this JVM's environment
   * @return the log's text
   */
  static String run(Path log, Map<String, String> env, Duration timeout, String... args)
      throws IOException, InterruptedException {
    String shown = "longdpo " + String.join(" ", args);
    Process p = start(log, env, args);
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        fail("%s did not finish within %s; its log (%s) ends:%n%s", shown, timeout, log, tail(log));
      }
    } finally {
      if (p.isAlive()) { // interrupted, or timed out above: never leave a JVM behind
        p.destroyForcibly();
      }
    }
    if (p.exitValue() != 0) {
      fail("%s exited with %d; its log (%s) ends:%n%s", shown, p.exitValue(), log, tail(log));
    }
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  /**
   * Starts {@code longdpo args} in a JVM of its own and returns at once; the caller waits for it
   * or kills it ({@link Process#destroyForcibly} is SIGKILL, as {@code kill -9}).
   */
  static Process start(Path log, Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(MAX_HEAP);
    command.add("-XX:+UseParallelGC"); // as ./longdpo: G1 breaks bit-reproducibility (docs/reproducibility.md)
    command.add("-Djava.awt.headless=true");
    for (String key : INHERITED_PROPERTIES) {
      String value = System.getProperty(key);
      if (value != null) {
        command.add("-D" + key + "=" + value);
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  private static String tail(Path log) throws IOException {
    String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no log)";
    // Progress bars redraw with carriage returns; a line each reads better in a failure message.
    text = text.replace('\r', '\n');
    return text.length() <= LOG_TAIL_CHARS ? text : text.substring(text.length() - LOG_TAIL_CHARS);
  }

  /**
   * Busy threads, one per core, that compete with a child process for the CPU while it runs, so
   * that a second run sees other thread interleavings and timings than the first: results that
   * depend on them show up as a difference. Each thread also stops by itself after {@code limit},
   * so a test that hangs elsewhere never leaves the cores spinning.
   */
  static final class CpuLoad implements AutoCloseable {

    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stop;

    /** Starts the load. */
    CpuLoad(Duration limit) {
      long deadline = System.nanoTime() + limit.toNanos();
      int n = Runtime.getRuntime().availableProcessors();
      for (int i = 0; i < n; i++) {
        Thread t = new Thread(() -> spin(deadline), "cpu-load-" + i);
        t.setDaemon(true);
        t.start();
        threads.add(t);
      }
    }

    private void spin(long deadline) {
      double x = 1;
      while (!stop && System.nanoTime() - deadline < 0) {
        for (int i = 0; i < 100_000; i++) {
          x = x * 1.000_000_1 + 1e-9;
        }
      }
      if (x == 0) { // never true; it keeps the JIT from dropping the loop's work
        System.out.println(x);
      }
    }

    /** Stops the load and waits (briefly) for its threads. */
    @Override
    public void close() throws InterruptedException {
      stop = true;
      for (Thread t : threads) {
        t.join(5_000);
      }
    }
  }
}
