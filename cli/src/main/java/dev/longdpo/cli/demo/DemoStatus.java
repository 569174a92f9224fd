package dev.longdpo.cli.demo;

import dev.longdpo.gpuworker.dpo.StepMetrics;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The demo's progress: search, training and evaluation run at once, so instead of one bar it
 * prints a status line every few seconds ("[02:10] search 80/304 prompts, 412 pairs | longdpo
 * step 35 loss 0.661 | eval 4 done, now longdpo-step-40"), plus a line for each milestone.
 * Thread-safe: actors report from their threads.
 */
public final class DemoStatus implements AutoCloseable {

  private final PrintWriter err;
  private final long started = System.nanoTime();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "demo-status");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, String> parts = new ConcurrentHashMap<>();

  /** Status lines to {@code err}, every {@code seconds}. */
  public DemoStatus(PrintWriter err, int seconds) {
    this.err = err;
    ticker.scheduleAtFixedRate(this::print, seconds, seconds, TimeUnit.SECONDS);
  }

  /** A milestone, printed at once. */
  public synchronized void say(String line) {
    err.printf(Locale.ROOT, "[%s] %s%n", elapsed(), line);
    err.flush();
  }

  /** The search's progress. */
  public void search(int completed, int total, long pairs) {
    parts.put("1search", String.format(Locale.ROOT, "search %d/%d prompts, %d pairs", completed, total, pairs));
  }

  /** A trainer's latest step. */
  public void trained(String variant, int epoch, StepMetrics m) {
    parts.put("2train-" + variant, String.format(Locale.ROOT, "%s step %d (epoch %d) loss %.3f acc %.2f", variant,
        m.step(), epoch + 1, m.loss(), m.rewardsAccuracy()));
  }

  /** Something else in progress, under a key. */
  public void set(String key, String text) {
    parts.put(key, text);
  }

  /** Drops a part that finished. */
  public void clear(String key) {
    parts.remove(key);
  }

  private synchronized void print() {
    if (parts.isEmpty()) {
      return;
    }
    StringBuilder b = new StringBuilder();
    parts.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      if (b.length() > 0) {
        b.append(" | ");
      }
      b.append(e.getValue());
    });
    err.printf(Locale.ROOT, "[%s] %s%n", elapsed(), b);
    err.flush();
  }

  private String elapsed() {
    long s = (System.nanoTime() - started) / 1_000_000_000L;
    return String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
  }

  /** Seconds since the start. */
  public double seconds() {
    return (System.nanoTime() - started) / 1e9;
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }
}
