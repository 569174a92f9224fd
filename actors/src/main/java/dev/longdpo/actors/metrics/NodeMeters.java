package dev.longdpo.actors.metrics;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The node's own meters, on Micrometer's global registry: a node backs it with its Prometheus
 * registry (the command line's {@code NodeMetrics}); without one (unit tests, a library user) a
 * meter costs a map lookup and records nothing. Names are dotted here and come out in Prometheus'
 * conventions ({@code longdpo.search.expansions} counts as {@code
 * longdpo_search_expansions_total}); labels stay bounded (variant, role), never ids that grow.
 * Thread-safe.
 */
public final class NodeMeters {

  /** Last values of gauges, by name and tags (a gauge reads a value someone holds). */
  private static final Map<String, AtomicLong> LAST = new ConcurrentHashMap<>();

  /** Updates made in this JVM, so a benchmark can put the meters' cost beside a search's time. */
  private static final LongAdder UPDATES = new LongAdder();

  private NodeMeters() {}

  /** Adds {@code amount} to the counter {@code name}. */
  public static void count(String name, double amount, String... tags) {
    UPDATES.increment();
    Metrics.counter(name, tags).increment(amount);
  }

  /** Sets the gauge {@code name} to {@code value} (it keeps the last value set). */
  public static void set(String name, double value, String... tags) {
    UPDATES.increment();
    String key = name + Tags.of(tags);
    AtomicLong bits = LAST.computeIfAbsent(key, k -> {
      AtomicLong held = new AtomicLong(Double.doubleToLongBits(Double.NaN));
      Metrics.gauge(name, Tags.of(tags), held, a -> Double.longBitsToDouble(a.get()));
      return held;
    });
    bits.set(Double.doubleToLongBits(value));
  }

  /** Each summed gauge's parts: by name, the value each holder set. */
  private static final Map<String, Map<Object, double[]>> PARTS = new ConcurrentHashMap<>();

  /**
   * Sets {@code holder}'s part of the gauge {@code name}, which reads the sum of its parts: the
   * search nodes of one JVM each hold a part of its queued jobs and cached bytes.
   */
  public static void setPart(String name, Object holder, double value) {
    setShare(name, holder, value, Double.NaN);
  }

  /**
   * Sets {@code holder}'s part of the ratio gauge {@code name}, which reads the sum of its parts'
   * numerators over the sum of their denominators (a share over all of the JVM's search nodes).
   * A NaN denominator makes it a plain sum ({@link #setPart}).
   */
  public static void setShare(String name, Object holder, double numerator, double denominator) {
    UPDATES.increment();
    Map<Object, double[]> parts = PARTS.computeIfAbsent(name, n -> {
      Map<Object, double[]> held = new ConcurrentHashMap<>();
      Metrics.gauge(n, Tags.empty(), held, NodeMeters::read);
      return held;
    });
    parts.put(holder, new double[] {numerator, denominator});
  }

  /** Drops every part {@code holder} set (it stopped). */
  public static void removeParts(Object holder) {
    PARTS.values().forEach(parts -> parts.remove(holder));
  }

  private static double read(Map<Object, double[]> parts) {
    double numerator = 0;
    double denominator = 0;
    boolean ratio = false;
    for (double[] p : parts.values()) {
      numerator += p[0];
      if (!Double.isNaN(p[1])) {
        ratio = true;
        denominator += p[1];
      }
    }
    if (!ratio) {
      return numerator;
    }
    return denominator == 0 ? 0 : numerator / denominator;
  }

  /** Records a value in the distribution summary {@code name}. */
  public static void record(String name, double value, String... tags) {
    UPDATES.increment();
    Metrics.summary(name, tags).record(value);
  }

  /** The timer {@code name} (each use counts as one update). */
  public static Timer timer(String name, String... tags) {
    UPDATES.increment();
    return Metrics.timer(name, tags);
  }

  /** Updates made in this JVM so far. */
  public static long updates() {
    return UPDATES.sum();
  }
}
